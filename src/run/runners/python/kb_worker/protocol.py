"""The worker's side of the wire: JSON lines on fd 3, per-job sentinels on fd 1 and 2.

Examples run in this process and may read or write any fd, /proc/self/cmdline and the
environment, so none of those carries a secret. The pool's first line on fd 3 is a random key
(never in argv or the environment); every result line carries an HMAC of its JSON under that key,
and the end-of-output sentinel of job N is derived from the key too. An example that writes a
"result" to fd 3, or prints a sentinel to cut its output short, cannot produce either without
the key; the pool drops a worker whose fd 3 carries a line that fails the check. (Code digging
through the worker's own memory could still find the key: the worker is no boundary against
its examples; bubblewrap is the boundary around the machine.)
"""
import hmac
import json
import os

CONTROL_FD = 3
_mac = None  # an HMAC object keyed once; the raw key is not kept


def open_control():
    """The control socket, ready to read jobs from; children of examples do not inherit it.
    Reads the pool's key, which comes first."""
    global _mac
    os.set_blocking(CONTROL_FD, True)  # libuv leaves only fds 0-2 blocking
    os.set_inheritable(CONTROL_FD, False)
    control = open(CONTROL_FD, 'rb', closefd=False)
    first = json.loads(control.readline() or b'{}')
    key = bytes.fromhex(first.get('key', ''))
    if len(key) < 16:
        raise SystemExit('kb worker: the pool did not send a key first on fd 3')
    _mac = hmac.new(key, digestmod='sha256')
    return control


def _digest(data):
    mac = _mac.copy()
    mac.update(data)
    return mac.hexdigest()


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def send(obj):
    body = json.dumps(obj).encode()
    write_all(CONTROL_FD, _digest(body).encode() + b' ' + body + b'\n')


def sentinel(seq):
    """What ends job `seq`'s output on fd 1 and 2 (the pool computes the same)."""
    return f"\x00\x1ekb-end {_digest(f'end {seq}'.encode())[:32]}\x1e\x00".encode()


def end_output(seq):
    """Mark the end of job `seq`'s output on fd 1 and 2 (the pool splits the streams there)."""
    data = sentinel(seq)
    write_all(1, data)
    write_all(2, data)
