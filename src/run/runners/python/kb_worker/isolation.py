"""Where an example runs: its scratch directory, environment, standard streams and fds, working
directory, umask, sys.path and sys.argv; taken down once at start and put back after every example
(session blocks included, whose own directory and environment the session keeps). The rest of the
interpreter's state is process_state's job."""
import asyncio
import os
import shutil
import sys
import tempfile
import time


def text_stream(fd):
    return open(fd, 'w', buffering=1, encoding='utf-8', errors='backslashreplace', closefd=False)  # line-buffered


class Baseline:
    """The process state between examples, and a private root for their directories."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix='kb-worker-')
        # The examples' temp folder (TMPDIR, tempfile.gettempdir()): emptied after every example, so
        # nothing one leaves there is seen by the next. Fixed path, so the environment stays the same.
        self.tmp = os.path.join(self.root, 'tmp')
        os.mkdir(self.tmp, 0o700)
        os.environ['TMPDIR'] = self.tmp
        tempfile.tempdir = self.tmp
        self.base_env = dict(os.environ)
        self.base_data = dict(getattr(os.environ, '_data', {}))
        self.base_path = list(sys.path)
        self.base_main = sys.modules['__main__']
        self.base_streams = (sys.stdin, sys.stdout, sys.stderr)
        self.base_umask = os.umask(0o022)
        os.umask(self.base_umask)
        self.base_fds = (os.dup(0), os.dup(1), os.dup(2))  # dup() is non-inheritable: no child sees them
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

    def empty_tmp(self):
        """Put back an empty temp folder (cheap when the example left it untouched)."""
        tempfile.tempdir = self.tmp
        try:
            if not os.listdir(self.tmp) and os.stat(self.tmp).st_mode & 0o7777 == 0o700:
                return
        except OSError:
            pass
        try:
            os.chmod(self.tmp, 0o700)
        except OSError:
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.makedirs(self.tmp, 0o700, exist_ok=True)

    def set_env(self, wanted):
        env = os.environ
        if wanted is self.base_env and getattr(env, '_data', None) == self.base_data:
            return  # the usual case, checked on the raw bytes: decoding every key costs ~20 us
        tz = env.get('TZ')
        for key in [k for k in env if k not in wanted]:
            del env[key]
        for key, value in wanted.items():
            if env.get(key) != value:
                env[key] = value
        if env.get('TZ') != tz:
            time.tzset()  # the C library caches the zone it read from TZ

    def restore(self, remove_dir):
        """Put back where the example ran: streams, fds, directory, environment, paths."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        stdin, stdout, stderr = self.base_streams
        # Examples may close the objects themselves (the fds survive: closefd=False).
        self.base_streams = (stdin, text_stream(1) if stdout.closed else stdout, text_stream(2) if stderr.closed else stderr)
        sys.stdin, sys.stdout, sys.stderr = self.base_streams
        for fd, saved in enumerate(self.base_fds):
            os.dup2(saved, fd)
        sys.modules['__main__'] = self.base_main
        if sys.path != self.base_path:
            sys.path[:] = self.base_path
        if sys.argv != ['']:
            sys.argv[:] = ['']
        asyncio.set_event_loop(None)
        os.umask(self.base_umask)
        os.chdir(self.base_cwd)
        os.environ['HOME'] = self.base_env.get('HOME', '')
        self.set_env(self.base_env)
        if remove_dir is not None:
            self.empty_tmp()
            # Modules imported from the example's directory are dropped by process_state.
            sys.path_importer_cache.pop(remove_dir, None)
            self.drop_dir(remove_dir)
