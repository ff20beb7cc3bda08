"""What putting interpreter state back costs per example, in the worker's own code.

Runs N empty examples (`pass`) through the worker's Worker.run, as the main loop does, three ways:
with everything put back (as shipped), without process_state's part (what the worker put back
before: directory, environment, streams), and process_state.restore alone. Prints CPU
microseconds per example (thread CPU time: the machine may be shared). Usage: python3 bench/python-restore.py [N]
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'src', 'run', 'runners', 'python'))
import worker as worker_module  # noqa: E402  (the worker script, imported without running main)

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
JOB = {'kind': 'exec', 'filename': '/bench/note.md', 'code': 'pass', 'firstLine': 1}


def per_example(worker, n):
    start = time.thread_time()
    for seq in range(n):
        worker.run(JOB, seq)
    return (time.thread_time() - start) / n * 1e6


def main():
    sys.argv = ['']
    worker = worker_module.Worker()
    per_example(worker, 500)  # warm up: first imports, directory reuse
    rounds = []
    restore = worker.process.restore
    for _ in range(3):  # interleaved, best of three: the machine is shared
        worker.process.restore = restore
        full = per_example(worker, N)
        worker.process.restore = lambda removed_dir=None: []
        bare = per_example(worker, N)
        worker.process.restore = restore
        start = time.thread_time()
        for _ in range(N):
            restore(None)
        alone = (time.thread_time() - start) / N * 1e6
        rounds.append((full, bare, alone))
    full, bare, alone = (min(r[i] for r in rounds) for i in range(3))
    print(f'{N} empty examples, best of 3 rounds, Python {sys.version.split()[0]}')
    print(f'  with everything put back:         {full:8.1f} us per example')
    print(f'  without process_state.restore:    {bare:8.1f} us per example')
    print(f'  process_state.restore alone:      {alone:8.1f} us per call')
    print(f'  added by process_state:           {full - bare:8.1f} us per example')


if __name__ == '__main__':
    main()
