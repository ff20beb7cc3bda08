"""Running a piece of note code at its note lines: compiled with top-level await allowed, run
inside or outside an asyncio loop, its source kept in linecache for tracebacks."""
import ast
import asyncio
import inspect
import linecache

# filename -> the note's lines as far as the worker has seen them (others are blank)
_sources = {}


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


def remember_source(filename, first_line, code):
    """Put the code into linecache at its note lines, so tracebacks quote it even for a note
    that is not on disk (or has changed since)."""
    lines = _sources.setdefault(filename, [])
    new = code.splitlines(True)
    if new and not new[-1].endswith('\n'):
        new[-1] += '\n'
    end = first_line - 1 + len(new)
    lines.extend(['\n'] * (end - len(lines)))
    lines[first_line - 1:end] = new
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def run_in_loop(loop, coro, context):
    """Run a coroutine to its end as a task of `loop`, in `context` (a session's own context
    variables) or, without one, in a copy of the current context, as asyncio.run does."""
    return loop.run_until_complete(loop.create_task(coro, context=context))


def exec_part(code, first_line, filename, ns, loop, in_loop, context=None):
    """`loop` is the session's loop, or outside a session a function that makes the job's loop:
    only a top-level await needs one (lazy_loop.py)."""
    first_line = max(first_line, 1)
    remember_source(filename, first_line, code)
    # Leading newlines rather than ast.increment_lineno: SyntaxErrors then carry note lines too.
    compiled = compile('\n' * (first_line - 1) + code, filename, 'exec',
                       flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    if compiled.co_flags & inspect.CO_COROUTINE:
        run_in_loop(loop() if callable(loop) else loop, eval(compiled, ns), context)
    elif in_loop:
        run_in_loop(loop, call_in_loop(exec, compiled, ns), context)
    else:
        exec(compiled, ns)  # outside the loop, so the example may call asyncio.run() itself
