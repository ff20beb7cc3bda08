"""A `kind: 'doctest'` job: the pycon block checked with doctest, failures at note lines.

A prompt may `await`, as in the asyncio REPL (`python -m asyncio`): doctest (3.11) compiles
each prompt itself, so while the job runs its `compile` is one that allows top-level await,
and a prompt compiled to a coroutine is run to its end on the job's event loop. In a session
every prompt runs as a step of the session's loop (as its blocks do), in the session's
context: the loop is running while a prompt runs (tasks created earlier keep going), and not
between prompts, so an awaiting prompt can run to its end.
"""
import ast
import asyncio
import builtins
import inspect
import traceback

from .execution import call_in_loop, run_in_loop

# doctest (with difflib, pdb, unittest, ...) is imported by the first pycon job, not by every
# worker at start: most workers never run one.

# Not a doctest flag: the prompts run (an exception still fails), their output is not compared.
NO_OUTPUT_CHECK = 'KB_NO_OUTPUT_CHECK'

_pending = []  # the code of the prompt being run
_session = []  # (loop, context) while a session's transcript runs
# A builtin only while a transcript runs: the example's sys.path may not reach this package.
_AWAIT_HOOK = '__kb_await_prompt__'


def _run_pending(ns):
    code = _pending.pop()
    if _session:
        loop, context = _session[-1]
        if code.co_flags & inspect.CO_COROUTINE:
            return run_in_loop(loop, eval(code, ns), context)
        return run_in_loop(loop, call_in_loop(exec, code, ns), context)
    return asyncio.get_event_loop().run_until_complete(eval(code, ns))


def _compile_allowing_await(source, filename, mode, flags=0, dont_inherit=False, optimize=-1):
    code = builtins.compile(source, filename, mode, flags | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit, optimize)
    if not code.co_flags & inspect.CO_COROUTINE and not _session:
        return code
    _pending.append(code)
    return builtins.compile(f'{_AWAIT_HOOK}(globals())', filename, 'exec', 0, True, optimize)


_classes = None


def _doctest_classes():
    """doctest itself, and the checker and runner built on it, made on first use."""
    global _classes
    if _classes is not None:
        return _classes
    import doctest

    class AnyOutput(doctest.OutputChecker):
        def check_output(self, want, got, optionflags):
            return True

    class Collector(doctest.DocTestRunner):
        """Records doctest failures with note line numbers instead of printing them."""

        def __init__(self, first_line, optionflags, checker=None):
            super().__init__(checker=checker, verbose=False, optionflags=optionflags)
            self.first_line = first_line
            self.problems = []  # not `failures`: DocTestRunner counts those in an int of that name

        def report_failure(self, out, test, example, got):
            self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                                  'expected': example.want, 'got': got})

        def report_unexpected_exception(self, out, test, example, exc_info):
            self.problems.append({'line': self.first_line + example.lineno, 'source': example.source,
                                  'expected': example.want, 'got': ''.join(traceback.format_exception(*exc_info)),
                                  'exception': traceback.format_exception_only(*exc_info[:2])[-1].rstrip('\n')})

    _classes = doctest, AnyOutput, Collector
    return _classes


def run_doctest(job, ns, session=None):
    """The failures of the job's doctest run in namespace `ns` (empty when all prompts match).
    `session`: the session's (loop, context), whose loop each prompt runs in."""
    doctest, AnyOutput, Collector = _doctest_classes()
    flags = 0
    any_output = False
    for name in job.get('doctestOptionFlags') or []:
        if name == NO_OUTPUT_CHECK:
            any_output = True
            continue
        if name not in doctest.OPTIONFLAGS_BY_NAME:
            raise ValueError(f'unknown doctest option flag {name!r}')
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    first = job['firstLine']
    test = doctest.DocTestParser().get_doctest(job['code'], ns, f"{job['filename']}:{first}", job['filename'], first - 1)
    # get_doctest copies the namespace; run in the namespace itself, so names a pycon block
    # defines stay in a session's globals for its later blocks.
    test.globs = ns
    runner = Collector(first, flags, AnyOutput() if any_output else None)
    doctest.compile = _compile_allowing_await
    setattr(builtins, _AWAIT_HOOK, _run_pending)
    if session is not None:
        _session.append(session)
    try:
        runner.run(test, out=lambda _text: None, clear_globs=False)
    finally:
        del doctest.compile
        delattr(builtins, _AWAIT_HOOK)
        if session is not None:
            _session.pop()
    return runner.problems
