"""What an example can change in the worker's process and that would reach the next example:
taken down once at start, put back after every example. Also the examples' scratch directories."""
import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile

SIGNALS = [getattr(signal, n) for n in ('SIGINT', 'SIGTERM', 'SIGALRM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2',
                                        'SIGCHLD', 'SIGPIPE') if hasattr(signal, n)]


def text_stream(fd):
    return open(fd, 'w', encoding='utf-8', errors='backslashreplace', closefd=False, line_buffering=True)


class Baseline:
    """The process state between examples, and a private root for their directories."""

    def __init__(self):
        self.base_env = dict(os.environ)
        self.base_data = dict(getattr(os.environ, '_data', {}))
        self.base_path = list(sys.path)
        self.base_main = sys.modules['__main__']
        self.base_streams = (sys.stdin, sys.stdout, sys.stderr)
        self.base_hooks = (sys.displayhook, sys.excepthook)
        self.base_recursion = sys.getrecursionlimit()
        self.base_umask = os.umask(0o022)
        os.umask(self.base_umask)
        self.base_signals = {s: signal.getsignal(s) for s in SIGNALS}
        self.base_fds = (os.dup(1), os.dup(2))  # dup() is non-inheritable: no child sees them
        self.base_logging = (list(logging.root.handlers), logging.root.level)
        self.root = tempfile.mkdtemp(prefix='kb-worker-')
        # Between examples '' on sys.path means this private directory, not a shared /tmp.
        self.base_cwd = self.root
        os.chdir(self.root)
        self.counter = 0
        self.spare = None

    def new_dir(self):
        # mkdir+rmdir cost ~150 us here, half of a trivial example, so a directory the previous
        # example left empty and untouched is handed on; anything else is removed.
        if self.spare is not None:
            path, self.spare = self.spare, None
            return path
        self.counter += 1
        path = os.path.join(self.root, str(self.counter))
        os.mkdir(path, 0o700)
        return path

    def drop_dir(self, path):
        try:
            if self.spare is None and not os.listdir(path) and os.stat(path).st_mode & 0o7777 == 0o700:
                self.spare = path
            else:
                os.rmdir(path)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)

    def set_env(self, wanted):
        env = os.environ
        if wanted is self.base_env and getattr(env, '_data', None) == self.base_data:
            return  # the usual case, checked on the raw bytes: decoding every key costs ~20 us
        for key in [k for k in env if k not in wanted]:
            del env[key]
        for key, value in wanted.items():
            if env.get(key) != value:
                env[key] = value

    def restore(self, modules_before, remove_dir):
        """Put back everything an example may have changed in this process."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        stdin, stdout, stderr = self.base_streams
        # Examples may close the objects themselves (the fds survive: closefd=False).
        self.base_streams = (stdin, text_stream(1) if stdout.closed else stdout, text_stream(2) if stderr.closed else stderr)
        sys.stdin, sys.stdout, sys.stderr = self.base_streams
        os.dup2(self.base_fds[0], 1)
        os.dup2(self.base_fds[1], 2)
        sys.displayhook, sys.excepthook = self.base_hooks
        sys.settrace(None)
        sys.setprofile(None)
        if sys.getrecursionlimit() != self.base_recursion:
            sys.setrecursionlimit(self.base_recursion)
        sys.modules['__main__'] = self.base_main
        sys.path = list(self.base_path)
        sys.argv = ['']
        asyncio.set_event_loop(None)
        signal.alarm(0)
        for sig, handler in self.base_signals.items():
            if signal.getsignal(sig) is not handler:
                signal.signal(sig, handler)
        os.umask(self.base_umask)
        handlers, level = self.base_logging
        root = logging.root
        if root.handlers != handlers or root.level != level or root.manager.disable:
            for handler in root.handlers:
                if handler not in handlers:
                    handler.close()
            root.handlers[:] = handlers
            root.setLevel(level)
            logging.disable(logging.NOTSET)
        os.chdir(self.base_cwd)
        os.environ['HOME'] = self.base_env.get('HOME', '')
        self.set_env(self.base_env)
        if remove_dir is not None:
            # Modules imported from the example's directory must not shadow the next example's.
            for name in set(sys.modules) - modules_before:
                if (getattr(sys.modules[name], '__file__', None) or '').startswith(remove_dir):
                    del sys.modules[name]
            sys.path_importer_cache.pop(remove_dir, None)
            self.drop_dir(remove_dir)
