"""Warm worker of kb-doctest: runs the Python examples of Markdown notes.

Started by pool.ts as `python -s -B worker.py TOKEN`. fd 3 is a socket with JSON
lines: jobs come in, results go out. fd 1/2 are pipes the pool reads; examples
write there directly (so `os.write(1, ...)` and child processes are captured),
and after each job a per-job sentinel goes to both, so the pool knows where one
job's output ends and the next one's begins.

The worker keeps no threads of its own: a second thread would make `os.fork()`
warn (3.12+) and would hide threads an example leaves behind. Whatever an
example can change in this interpreter and that would reach the next example is
put back by `Worker.restore`. Standard library only.
"""
import ast
import asyncio
import doctest
import faulthandler
import inspect
import json
import linecache
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import types
import warnings

WORKER_PID = os.getpid()
CONTROL_FD = 3
SIGNALS = [getattr(signal, n) for n in ('SIGINT', 'SIGTERM', 'SIGALRM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2',
                                        'SIGCHLD', 'SIGPIPE') if hasattr(signal, n)]
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


# --- child processes and threads, seen through /proc (Linux; elsewhere the checks find nothing)

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


# --- reporting

def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def send(obj):
    write_all(CONTROL_FD, (json.dumps(obj) + '\n').encode())


def describe_exception(exc, filename, phase):
    """The exception as the pool reports it: MRO names, and a traceback without our frames."""
    names = []
    for cls in type(exc).__mro__[:-1]:  # all but object
        for name in (f'{cls.__module__}.{cls.__qualname__}', cls.__qualname__, cls.__name__):
            if name not in names:
                names.append(name)
    # Frames above the note's first one are this worker or asyncio plumbing. With no frame
    # in the note (e.g. a bad doctest flag) only this worker's own frames go.
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    if tb is None:
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next
    line, t = None, tb
    while t is not None:
        if t.tb_frame.f_code.co_filename == filename:
            line = t.tb_lineno
        t = t.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    try:
        message = str(exc)
    except Exception:
        message = '<str() of the exception failed>'
    cls = type(exc)
    result = {'type': cls.__qualname__ if cls.__module__ in ('builtins', '__main__') else f'{cls.__module__}.{cls.__qualname__}',
              'qualifiedNames': names, 'message': message, 'phase': phase,
              'traceback': ''.join(traceback.format_exception(cls, exc, tb))}
    if line is not None:
        result['line'] = line
    return result


class Collector(doctest.DocTestRunner):
    """Records doctest failures with note line numbers instead of printing them."""

    def __init__(self, first_line, optionflags):
        super().__init__(verbose=False, optionflags=optionflags)
        self.first_line = first_line
        self.problems = []  # not `failures`: DocTestRunner counts those in an int of that name

    def report_failure(self, out, test, example, got):
        self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                              'expected': example.want, 'got': got})

    def report_unexpected_exception(self, out, test, example, exc_info):
        self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                              'expected': example.want, 'got': ''.join(traceback.format_exception(*exc_info)),
                              'exception': traceback.format_exception_only(*exc_info[:2])[-1].rstrip('\n')})


# --- running

async def call_in_loop(fn, *args):
    """Run plain code as a step of the loop: a session's blocks share one *running* loop
    (like `python -m asyncio` or Jupyter), so `asyncio.create_task()` works without an await."""
    return fn(*args)


def close_loop(loop):
    """What asyncio.run does on the way out: cancel leftover tasks, finish generators and executor."""
    try:
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            for task in tasks:
                if not task.cancelled() and task.exception() is not None:
                    loop.call_exception_handler({'message': 'exception in a task cancelled at the end of the example',
                                                 'exception': task.exception(), 'task': task})
        # Private attributes only to skip two loop spins when there is nothing to shut down.
        if getattr(loop, '_asyncgens', True):
            loop.run_until_complete(loop.shutdown_asyncgens())
        if getattr(loop, '_default_executor', True) is not None:
            loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()


class Session:
    """Globals, event loop, directory and environment kept from one block of a session to the next."""

    def __init__(self, worker):
        self.module = types.ModuleType('__main__')
        self.loop = asyncio.new_event_loop()
        self.dir = worker.new_dir()
        self.env = dict(worker.base_env, HOME=self.dir)


class Worker:
    def __init__(self):
        self.sessions = {}
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
        self.sources = {}

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

    def remember_source(self, filename, first_line, code):
        """Put the code into linecache at its note lines, so tracebacks quote it even for a note
        that is not on disk (or has changed since)."""
        lines = self.sources.setdefault(filename, [])
        new = code.splitlines(True)
        if new and not new[-1].endswith('\n'):
            new[-1] += '\n'
        end = first_line - 1 + len(new)
        lines.extend(['\n'] * (end - len(lines)))
        lines[first_line - 1:end] = new
        linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)

    def exec_part(self, code, first_line, filename, ns, loop, in_loop):
        first_line = max(first_line, 1)
        self.remember_source(filename, first_line, code)
        # Leading newlines rather than ast.increment_lineno: SyntaxErrors then carry note lines too.
        compiled = compile('\n' * (first_line - 1) + code, filename, 'exec',
                           flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        if compiled.co_flags & inspect.CO_COROUTINE:
            loop.run_until_complete(eval(compiled, ns))
        elif in_loop:
            loop.run_until_complete(call_in_loop(exec, compiled, ns))
        else:
            exec(compiled, ns)  # outside the loop, so the example may call asyncio.run() itself

    def run_doctest(self, job, ns):
        flags = 0
        for name in job.get('doctestOptionFlags') or []:
            if name not in doctest.OPTIONFLAGS_BY_NAME:
                raise ValueError(f'unknown doctest option flag {name!r}')
            flags |= doctest.OPTIONFLAGS_BY_NAME[name]
        first = job['firstLine']
        test = doctest.DocTestParser().get_doctest(job['code'], ns, f"{job['filename']}:{first}", job['filename'], first - 1)
        runner = Collector(first, flags)
        runner.run(test, out=lambda _text: None, clear_globs=False)
        return runner.problems

    def run_job(self, job):
        filename = job['filename']
        name = job.get('session')
        session = None
        if name is not None:
            session = self.sessions.get(name) or self.sessions.setdefault(name, Session(self))
        module = session.module if session else types.ModuleType('__main__')
        loop = session.loop if session else asyncio.new_event_loop()
        workdir = session.dir if session else self.new_dir()
        ns = module.__dict__
        in_loop = session is not None
        modules_before = set(sys.modules)
        sys.modules['__main__'] = module  # pickle and dataclasses look classes up there
        os.chdir(workdir)
        if session:
            self.set_env(session.env)
        else:
            os.environ['HOME'] = workdir
        asyncio.set_event_loop(loop)
        result, failure = {'status': 'passed'}, None
        try:
            with warnings.catch_warnings():
                try:
                    for part in job.get('setup') or []:
                        self.exec_part(part['code'], part['firstLine'], filename, ns, loop, in_loop)
                except BaseException as exc:
                    failure = (exc, 'setup')
                if failure is None:
                    try:
                        if job['kind'] == 'doctest':
                            problems = (loop.run_until_complete(call_in_loop(self.run_doctest, job, ns)) if in_loop
                                        else self.run_doctest(job, ns))
                            if problems:
                                result = {'status': 'failed', 'doctestFailures': problems}
                        else:
                            self.exec_part(job['code'], job['firstLine'], filename, ns, loop, in_loop)
                    except BaseException as exc:
                        failure = (exc, 'example')
                for part in job.get('teardown') or []:
                    try:
                        self.exec_part(part['code'], part['firstLine'], filename, ns, loop, in_loop)
                    except BaseException as exc:
                        failure = failure or (exc, 'teardown')
                if session is None:
                    try:
                        close_loop(loop)
                    except BaseException as exc:
                        failure = failure or (exc, 'example')
        finally:
            if os.getpid() != WORKER_PID:
                exit_forked_child(failure)
            if session is not None:
                session.env = dict(os.environ)
            self.restore(modules_before, workdir if session is None else None)
        if failure is not None:
            exc, phase = failure
            if isinstance(exc, SystemExit):
                # As for a script: None is 0, another non-int (a message) is 1.
                code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
                if code == 0:
                    return dict(result, exitCode=0)  # the rest of the block is skipped, as in a script
                result['exitCode'] = code
            result.update(status='failed', exception=describe_exception(exc, filename, phase))
        return result

    def end_session(self, name):
        session = self.sessions.pop(name, None)
        if session is not None:
            os.chdir(session.dir)
            asyncio.set_event_loop(session.loop)
            try:
                close_loop(session.loop)
            except BaseException:
                traceback.print_exc()
            finally:
                self.restore(set(), session.dir)
        return {'status': 'passed'}

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


def text_stream(fd):
    return open(fd, 'w', encoding='utf-8', errors='backslashreplace', closefd=False, line_buffering=True)


def exit_forked_child(failure):
    """A child made by os.fork() in the example came back here: end it as a script would end."""
    if failure is not None and not isinstance(failure[0], SystemExit):
        traceback.print_exception(failure[0])
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(1 if failure is not None else 0)


def main():
    token = sys.argv[1]
    prctl_setup()
    faulthandler.enable()  # a segfault prints the Python stack to fd 2, i.e. into the job's stderr
    os.set_blocking(CONTROL_FD, True)  # libuv leaves only fds 0-2 blocking
    os.set_inheritable(CONTROL_FD, False)
    for stream in (sys.stdout, sys.stderr):
        # Line buffering keeps print() in order with the output of child processes on the same fd.
        stream.reconfigure(line_buffering=True, errors='backslashreplace')
    sys.argv = ['']
    sys.path[0] = ''  # like `python -c`: the example's own directory is importable
    worker = Worker()
    control = open(CONTROL_FD, 'rb', closefd=False)
    send({'ready': True, 'pid': os.getpid()})
    while True:
        line = control.readline()
        if not line:
            break  # the pool is gone
        msg = json.loads(line)
        start = time.perf_counter()
        fatal = False
        try:
            result = worker.end_session(msg['session']) if msg['op'] == 'end' else worker.run_job(msg['job'])
            procs, threads = leftovers()
            if procs or threads:
                kill_descendants()
                result.update(status='leaked', message=leak_message(procs, threads))
                fatal = True  # a thread cannot be killed: only a new process is clean
        except BaseException:
            result = {'status': 'crashed', 'message': 'internal error in the Python worker:\n' + traceback.format_exc()}
            fatal = True
        result.update(seq=msg['seq'], durationMs=(time.perf_counter() - start) * 1000)
        sentinel = f"\x00\x1ekb-end {token} {msg['seq']}\x1e\x00".encode()
        write_all(1, sentinel)
        write_all(2, sentinel)
        send(result)
        if fatal:
            break
    kill_descendants()
    shutil.rmtree(worker.root, ignore_errors=True)
    os._exit(0)


if __name__ == '__main__':
    main()
