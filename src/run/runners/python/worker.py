"""Warm worker of kb-doctest: runs the Python examples of Markdown notes.

Started by spawnWorker (interpreter.ts) as `python -s -B worker.py`. fd 3 is a socket with
JSON lines: the pool's key first, then jobs come in and authenticated results go out
(kb_worker/protocol.py). fd 1/2 are pipes the pool reads; examples write there directly (so
`os.write(1, ...)` and child processes are captured), and after each job a per-job sentinel goes
to both, so the pool knows where one job's output ends and the next one's begins.

The worker keeps no threads of its own: a second thread would make `os.fork()`
warn (3.12+) and would hide threads an example leaves behind. Whatever an
example can change in this interpreter and that would reach the next example is
put back by `Baseline.restore` (kb_worker/isolation.py: where it runs) and `ProcessState.restore`
(kb_worker/process_state.py: interpreter-wide state); what cannot be put back retires the worker
after the example. Session blocks are the exception: a session has a worker of its own (the pool
sees to that), which keeps everything from one block to the next, like a REPL. Standard library only.

This file runs a job and the main loop; the rest is in kb_worker/ next to it:
protocol (the wire), execution (compiling and running note code), doctest_job,
report (exceptions as reported), isolation (process state, scratch directories)
and leaks (leftover child processes and threads).
"""
import asyncio
import builtins
import contextvars
import faulthandler
import json
import os
import shutil
import sys
import time
import traceback
import types
import warnings

# kb_worker/ is imported from this file's directory, which is on sys.path only for that:
# main() turns sys.path[0] into '' for the examples, as `python -c` has it.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    from kb_worker import report
    from kb_worker.doctest_job import run_doctest
    from kb_worker.execution import close_loop, exec_part
    from kb_worker import module_watch
    from kb_worker.isolation import Baseline
    from kb_worker import lazy_loop
    from kb_worker.leaks import kill_descendants, leak_message, leftovers, prctl_setup
    from kb_worker.process_state import ProcessState
    from kb_worker.protocol import end_output, open_control, send, sentinel
finally:
    sys.path.remove(HERE)
report.OWN_FILES.add(__file__)
# Out of sys.modules (the worker keeps its references): `sys.modules['kb_worker.protocol']`
# is not how an example should find the worker's machinery.
for _name in [n for n in sys.modules if n == 'kb_worker' or n.startswith('kb_worker.')]:
    del sys.modules[_name]

WORKER_PID = os.getpid()


class Session:
    """Globals, event loop, context variables, directory and environment kept from one block of a
    session to the next."""

    def __init__(self, worker):
        self.module = new_main()
        self.loop = asyncio.new_event_loop()
        self.context = contextvars.Context()
        self.dir = worker.state.new_dir()
        self.env = dict(worker.state.base_env, HOME=self.dir)


def new_main():
    module = types.ModuleType('__main__')
    module.__builtins__ = builtins  # as in a script's __main__: `__builtins__.x = ...` is seen
    return module


def flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def cut_output(seq):
    """Mark on stdout where setup output ends or teardown output starts: not the example's."""
    flush_streams()
    try:
        os.write(1, sentinel(f'cut {seq}'))
    except OSError:
        pass


class Worker:
    def __init__(self):
        self.sessions = {}
        self.loops = lazy_loop.install()  # before ProcessState records the policy to put back
        self.state = Baseline()
        self.process = ProcessState()
        self.retire = []  # why this worker must not take another job

    def run(self, job, seq):
        """Run a job in its own context variables (a session's are kept), then put back what it
        changed in the process."""
        if job.get('session') is None:
            return contextvars.Context().run(self.run_job, job, seq)
        return self.run_job(job, seq)  # a session's code runs as tasks in the session's context

    def run_job(self, job, seq):
        filename = job['filename']
        name = job.get('session')
        session = None
        if name is not None:
            session = self.sessions.get(name) or self.sessions.setdefault(name, Session(self))
        module = session.module if session else new_main()
        # Outside a session the job's loop is made only if something asks for it (lazy_loop.py).
        loop = session.loop if session else self.loops.job_loop
        workdir = session.dir if session else self.state.new_dir()
        ns = module.__dict__
        in_loop = session is not None
        context = session.context if session else None
        sys.modules['__main__'] = module  # pickle and dataclasses look classes up there
        os.chdir(workdir)
        if session:
            self.state.set_env(session.env)
        else:
            os.environ['HOME'] = workdir
        if session:
            asyncio.set_event_loop(loop)
        else:
            self.loops.begin_job()
        result, failure = {'status': 'passed'}, None
        try:
            with warnings.catch_warnings():
                try:
                    for part in job.get('setup') or []:
                        exec_part(part['code'], part['firstLine'], filename, ns, loop, in_loop, context)
                except BaseException as exc:
                    failure = (exc, 'setup')
                if job.get('setup'):
                    cut_output(seq)
                if failure is None:
                    try:
                        if job['kind'] == 'doctest':
                            problems = run_doctest(job, ns, (loop, context) if in_loop else None)
                            if problems:
                                result = {'status': 'failed', 'doctestFailures': problems}
                        else:
                            exec_part(job['code'], job['firstLine'], filename, ns, loop, in_loop, context)
                    except BaseException as exc:
                        failure = (exc, 'example')
                if job.get('teardown'):
                    cut_output(seq)
                for part in job.get('teardown') or []:
                    try:
                        exec_part(part['code'], part['firstLine'], filename, ns, loop, in_loop, context)
                    except BaseException as exc:
                        failure = failure or (exc, 'teardown')
                if session is None:
                    made = self.loops.end_job()
                    try:
                        if made is not None:
                            close_loop(made)
                    except BaseException as exc:
                        failure = failure or (exc, 'example')
        finally:
            if os.getpid() != WORKER_PID:
                exit_forked_child(failure)
            if session is not None:
                session.env = dict(os.environ)
                self.state.restore(None)
                module_watch.forget()  # the session's worker is its own: its changes stay
            else:
                self.state.restore(workdir)
                self.retire += self.process.restore(workdir)
        if failure is not None:
            exc, phase = failure
            if isinstance(exc, SystemExit):
                # As for a script: None is 0, another non-int (a message) is 1.
                code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
                if code == 0:
                    return dict(result, exitCode=0)  # the rest of the block is skipped, as in a script
                result['exitCode'] = code
            result.update(status='failed', exception=report.describe_exception(exc, filename, phase, job.get('match')))
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
                self.state.restore(session.dir)
        return {'status': 'passed'}


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
    prctl_setup()
    faulthandler.enable()  # a segfault prints the Python stack to fd 2, i.e. into the job's stderr
    control = open_control()
    for stream in (sys.stdout, sys.stderr):
        # Line buffering keeps print() in order with the output of child processes on the same fd.
        stream.reconfigure(line_buffering=True, errors='backslashreplace')
    sys.argv = ['']
    sys.path[0] = ''  # like `python -c`: the example's own directory is importable
    worker = Worker()
    send({'ready': True, 'pid': os.getpid()})
    while True:
        line = control.readline()
        if not line:
            break  # the pool is gone
        msg = json.loads(line)
        start = time.perf_counter()
        fatal = False
        try:
            if msg['op'] == 'end':
                result = worker.end_session(msg['session'])
            else:
                result = worker.run(msg['job'], msg['seq'])
            procs, threads, native = leftovers()
            if procs or threads:
                kill_descendants()
                result.update(status='leaked', message=leak_message(procs, threads))
                fatal = True  # a thread cannot be killed: only a new process is clean
            elif native and not worker.sessions:
                worker.retire.append(f'{native} native thread(s) started by a C library are still running')
        except BaseException:
            result = {'status': 'crashed', 'message': 'internal error in the Python worker:\n' + traceback.format_exc()}
            fatal = True
        if worker.retire and not fatal:
            # The example's result stands; the pool replaces this worker before the next one.
            result['retire'] = '; '.join(worker.retire)
            fatal = True
        result.update(seq=msg['seq'], durationMs=(time.perf_counter() - start) * 1000)
        end_output(msg['seq'])
        send(result)
        if fatal:
            break
    kill_descendants()
    shutil.rmtree(worker.state.root, ignore_errors=True)
    os._exit(0)


if __name__ == '__main__':
    main()
