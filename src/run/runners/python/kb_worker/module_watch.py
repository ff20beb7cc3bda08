"""Module attributes an example sets or deletes (`json.dumps = fake`, `del os.getcwd`,
`builtins.print = ...`, `sys.ps1 = ...`), recorded as they happen and put back afterwards.

Comparing every module's namespace after every example would cost milliseconds; instead the
class of every plain module becomes `module` below, whose __setattr__/__delattr__ write an undo
log. Reads are untouched (no __getattribute__), so a module is as fast as before. A module's own
code writing its globals (`global x; x = 1`) does not go through setattr and is not undone: that
is the module's state, not a monkeypatch.
"""
import sys
import types

MISSING = object()
_log = []
_setattr = types.ModuleType.__setattr__
_delattr = types.ModuleType.__delattr__


class WatchedModule(types.ModuleType):
    __slots__ = ()

    def __setattr__(self, name, value):
        _log.append((self, name, self.__dict__.get(name, MISSING)))
        _setattr(self, name, value)

    def __delattr__(self, name):
        _log.append((self, name, self.__dict__.get(name, MISSING)))
        _delattr(self, name)


# `type(json)` still prints <class 'module'>, as examples expect.
WatchedModule.__name__ = WatchedModule.__qualname__ = 'module'
WatchedModule.__module__ = 'builtins'


def watch(modules):
    """Give every plain module of `modules` the recording class (extension modules included).

    Not `sys`: the import system makes new modules with `type(sys)(name)` and sets their
    `__spec__`, `__file__`, ... with setattr; process_state compares sys's namespace instead."""
    for module in modules:
        if type(module) is types.ModuleType and module is not sys:
            try:
                module.__class__ = WatchedModule
            except TypeError:
                pass


def changed():
    return bool(_log)


def undo():
    """Put back, newest first, what was set or deleted since the last call.

    A submodule bound on its parent by the import system (`import xml.dom` sets `xml.dom`) stays:
    the module stays cached in sys.modules, so the binding must stay with it."""
    if not _log:
        return
    entries = _log[::-1]
    _log.clear()
    modules = sys.modules
    for module, name, old in entries:
        current = module.__dict__.get(name, MISSING)
        if isinstance(current, types.ModuleType) and modules.get(f'{module.__name__}.{name}') is current:
            continue
        if old is MISSING:
            module.__dict__.pop(name, None)
        else:
            module.__dict__[name] = old
    _log.clear()  # nothing above goes through setattr, but be sure


def forget():
    """Drop the log: the worker's own setattr calls while putting things back are not undone."""
    _log.clear()
