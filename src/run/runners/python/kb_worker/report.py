"""An exception as the pool reports it: type, MRO names, note line, and a traceback
without the worker's own frames."""
import os
import re
import traceback

PACKAGE_DIR = os.path.dirname(__file__)
# The entry script (worker.py) adds itself: its frames are the worker's as much as this package's.
OWN_FILES = set()


def own_code(filename):
    return filename in OWN_FILES or os.path.dirname(filename) == PACKAGE_DIR


def describe_exception(exc, filename, phase, match=None):
    """The exception as the pool reports it: MRO names, and a traceback without our frames.
    With `match` (an example's `match=`, a Python pattern): whether re.search finds it in the message."""
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
        while tb is not None and own_code(tb.tb_frame.f_code.co_filename):
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
    if match is not None:
        try:
            result['messageMatches'] = re.search(match, message) is not None
        except re.error as error:
            result['matchError'] = str(error)
    return result
