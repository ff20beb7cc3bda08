"""Child processes and threads an example leaves behind, seen through /proc (Linux; elsewhere
the checks find nothing), and how they are found, reaped and killed."""
import os
import signal
import sys
import threading
import time

LEAK_GRACE_S = 0.25  # an unwaited Popen(['true']) or a thread about to finish is not a leak


def prctl_setup():
    """Die with the parent, and adopt orphaned grandchildren so none escape the leak check."""
    if not sys.platform.startswith('linux'):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def read_proc(path, default=''):
    try:
        with open(path, 'rb') as f:
            return f.read().decode(errors='replace')
    except OSError:
        return default


def task_ids(pid='self'):
    try:
        return os.listdir(f'/proc/{pid}/task')
    except OSError:
        return []


def children(pid='self'):
    return [int(c) for tid in task_ids(pid) for c in read_proc(f'/proc/{pid}/task/{tid}/children').split()]


def running(pid):
    stat = read_proc(f'/proc/{pid}/stat', ') Z')
    return stat[stat.rindex(')') + 2:][:1] != 'Z'


def reap():
    """Collect exited children (ours, or orphans adopted as subreaper) so they are not counted."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass
    except ChildProcessError:
        pass


def leftovers():
    """Child processes [(pid, command)] and thread names still alive after the example."""
    deadline = time.monotonic() + LEAK_GRACE_S
    main = threading.main_thread()
    while True:
        reap()
        procs = [pid for pid in children() if running(pid)]
        threads = [t.name for t in threading.enumerate() if t is not main]
        native = len(task_ids()) - 1  # threads started without the threading module count too
        if not procs and not threads and native <= 0:
            return [], []
        if time.monotonic() >= deadline:
            break
        time.sleep(0.005)
    commands = [(pid, read_proc(f'/proc/{pid}/cmdline', '?').strip('\0').replace('\0', ' ')[:200]) for pid in procs]
    return commands, threads or ([f'{native} native thread(s)'] if native > 0 else [])


def kill_descendants():
    for _ in range(100):
        stack, found = children(), []
        while stack:
            found.append(stack.pop())
            stack.extend(children(found[-1]))
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
        reap()


def leak_message(procs, threads):
    parts = []
    if procs:
        listed = ', '.join(f'pid {pid}: {cmd}' for pid, cmd in procs[:5])
        parts.append(f"{len(procs)} child process{'es' if len(procs) > 1 else ''} running ({listed})")
    if threads:
        parts.append(f"{len(threads)} thread{'s' if len(threads) > 1 else ''} running ({', '.join(threads[:5])})")
    return (f"the example left {' and '.join(parts)}; the worker killed them and was replaced. "
            'Wait for threads and processes before the block ends.')
