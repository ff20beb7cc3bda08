"""The worker's side of the wire: JSON lines on fd 3, per-job sentinels on fd 1 and 2."""
import json
import os

CONTROL_FD = 3


def open_control():
    """The control socket, ready to read jobs from; children of examples do not inherit it."""
    os.set_blocking(CONTROL_FD, True)  # libuv leaves only fds 0-2 blocking
    os.set_inheritable(CONTROL_FD, False)
    return open(CONTROL_FD, 'rb', closefd=False)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def send(obj):
    write_all(CONTROL_FD, (json.dumps(obj) + '\n').encode())


def end_output(token, seq):
    """Mark the end of job `seq`'s output on fd 1 and 2 (the pool splits the streams there)."""
    sentinel = f"\x00\x1ekb-end {token} {seq}\x1e\x00".encode()
    write_all(1, sentinel)
    write_all(2, sentinel)
