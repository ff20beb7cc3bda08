"""Child processes and threads an example leaves behind, seen through /proc (Linux; elsewhere
the checks find nothing), and how they are found, reaped and killed."""
import _thread
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


def python_threads():
    """Names of the Python threads other than the main one. _thread._count() also counts those
    started with _thread directly, which threading.enumerate() misses (a C library's native
    threads are in neither)."""
    main = threading.main_thread()
    names = [t.name for t in threading.enumerate() if t is not main]
    unnamed = _thread._count() - len(names)
    return names + ['started with _thread'] * max(unnamed, 0)


def leftovers():
    """Child processes [(pid, command)], Python thread names, and the number of native threads
    (started by a C library: OpenBLAS, MKL, libuv, a ctypes pthread_create) still alive after the
    example. Native threads are not the example's doing as far as its author can tell: they do
    not fail it, but the worker cannot know what they do and is retired. They are counted only
    after the whole grace: a thread started with _thread counts as a Python thread once it has
    begun to run, which on a busy machine can take a while."""
    deadline = time.monotonic() + LEAK_GRACE_S
    while True:
        reap()
        procs = [pid for pid in children() if running(pid)]
        threads = python_threads()
        native = len(task_ids()) - 1 - len(threads)
        if not procs and not threads and native <= 0:
            return [], [], 0
        if time.monotonic() >= deadline:
            break
        time.sleep(0.005)
    commands = [(pid, read_proc(f'/proc/{pid}/cmdline', '?').strip('\0').replace('\0', ' ')[:200]) for pid in procs]
    return commands, threads, max(native, 0)


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
