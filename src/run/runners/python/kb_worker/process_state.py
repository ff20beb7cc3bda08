"""Interpreter-wide state an example can change and the next example would see: taken down once
when the worker starts, put back after every example (not after session blocks: a session owns
its worker). What cannot be put back is reported, and the worker is retired after the example.

Cheap checks first: most examples change nothing, and this runs after every one of them (see
bench/python-restore.py for the measured cost). Changes made through calls that leave no cheap
trace (signal.signal, random.seed, locale.setlocale, ...) are noticed by thin wrappers installed
here; module attributes by module_watch.

Decided, and documented in the README:
- modules an example imports stay cached (that is what keeps the worker warm); entries it
  replaced or deleted in sys.modules are put back, and fake entries it added are dropped;
- the global `random` generator is reseeded from the OS after an example that seeded it, so no
  example's numbers depend on another's seed;
- atexit functions registered by an example are dropped, not run (the worker does not exit).
"""
import _signal
import _thread
import asyncio
import atexit
import builtins
import faulthandler
import gc
import locale
import logging
import os
import random
import signal
import socket
import sys
import threading
import types
import warnings

from . import module_watch

# Checked after every example; the rest of SIGNALS only after signal.signal was called (the wrapper
# sees it), since each check costs a call.
COMMON_SIGNALS = [int(getattr(signal, n)) for n in ('SIGINT', 'SIGTERM', 'SIGALRM', 'SIGPROF', 'SIGUSR1', 'SIGCHLD')
                  if hasattr(signal, n)]
SIGNALS = COMMON_SIGNALS + [int(getattr(signal, n)) for n in (
    'SIGHUP', 'SIGUSR2', 'SIGPIPE', 'SIGVTALRM', 'SIGWINCH', 'SIGIO', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGQUIT',
    'SIGTSTP', 'SIGCONT', 'SIGTTIN', 'SIGTTOU') if hasattr(signal, n)]
TIMERS = [getattr(signal, n) for n in ('ITIMER_REAL', 'ITIMER_VIRTUAL', 'ITIMER_PROF') if hasattr(signal, n)]
# Modules whose import alone means the worker cannot be trusted afterwards: with ctypes an example
# can change C-level state (a C type's slots, a library's globals) that nothing here can see.
UNTRUSTED_IMPORTS = ('ctypes',)
STREAMS = ('stdin', 'stdout', 'stderr')  # isolation.Baseline puts those back (also when closed)
MISSING = object()


def _drop_module(name):
    for key in [k for k in sys.modules if k == name or k.startswith(name + '.')]:
        del sys.modules[key]


class ProcessState:
    def __init__(self):
        atexit._clear()  # the worker ends with os._exit: nothing registered here ever runs
        self.dirty = set()  # what the wrappers saw: 'signals', 'timers', 'random', 'locale'
        self.retire_reasons = []
        self.touched_signals = set()
        self._install_wrappers()
        self._take_resource_limits()
        for name in UNTRUSTED_IMPORTS:
            _drop_module(name)  # the worker's own use (prctl) happened before this
        self.builtins = dict(builtins.__dict__)
        self.modules = dict(sys.modules)
        self.path_hooks = list(sys.path_hooks)
        self.meta_path = list(sys.meta_path)
        self.thread_hook = threading.excepthook
        self.trace = (sys.gettrace(), sys.getprofile(), threading._trace_hook, threading._profile_hook)
        self.recursion = sys.getrecursionlimit()
        self.int_digits = sys.get_int_max_str_digits()
        self.switch = sys.getswitchinterval()
        self.dlopen = sys.getdlopenflags()
        self.gc = (gc.isenabled(), gc.get_threshold(), gc.get_debug(), gc.get_freeze_count(), list(gc.callbacks))
        asyncio.get_event_loop_policy()  # made now, not by each example's set_event_loop
        self.policy = asyncio.events._event_loop_policy
        self.signals = {s: _signal.getsignal(s) for s in SIGNALS}
        self.common_signals = [(s, self.signals[s]) for s in COMMON_SIGNALS]
        self.sigmask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        self.locale = locale.setlocale(locale.LC_ALL)
        self.socket_timeout = socket.getdefaulttimeout()
        self.warnings_default = warnings.defaultaction
        self.ids = (os.getpgid(0), os.getsid(0), os.getresuid(), os.getresgid())
        self.logging = (logging.lastResort, logging.raiseExceptions, logging.getLoggerClass(), logging.getLogRecordFactory())
        self.loggers = {}
        self._remember_loggers()
        self.decimal_default = None
        self.sys = {k: v for k, v in sys.__dict__.items() if k not in STREAMS}
        self.sys_as_left = dict(sys.__dict__)  # the fast check: equal (by identity first) to this
        module_watch.watch(sys.modules.values())
        module_watch.undo()

    # -- wrappers -------------------------------------------------------------------------------

    def _install_wrappers(self):
        dirty, touched, reasons = self.dirty, self.touched_signals, self.retire_reasons

        def wrap(module, name, on_call):
            original = getattr(module, name)

            def wrapper(*args, **kwargs):
                on_call(args, kwargs)
                return original(*args, **kwargs)
            wrapper.__name__ = wrapper.__qualname__ = original.__name__
            wrapper.__doc__, wrapper.__module__ = original.__doc__, original.__module__
            wrapper.__wrapped__ = original
            setattr(module, name, wrapper)

        wrap(signal, 'signal', lambda a, k: (dirty.add('signals'), touched.add(a[0] if a else k.get('signalnum'))))
        for name in ('setitimer', 'alarm'):
            wrap(signal, name, lambda a, k: dirty.add('timers'))
        for name in ('seed', 'setstate'):
            wrap(random, name, lambda a, k: dirty.add('random'))
        wrap(locale, 'setlocale', lambda a, k: dirty.add('locale') if len(a) > 1 or k.get('locale') is not None else None)
        wrap(sys, 'addaudithook', lambda a, k: reasons.append('it added an audit hook (sys.addaudithook), which cannot be removed'))
        wrap(os, 'register_at_fork', lambda a, k: reasons.append('it registered fork handlers (os.register_at_fork), which cannot be removed'))
        wrap(faulthandler, 'register', lambda a, k: dirty.add('faulthandler'))

    def _take_resource_limits(self):
        try:
            import resource
        except ImportError:
            self.resource, self.limits = None, {}
            return
        self.resource = resource
        self.limits = {}
        for name in dir(resource):
            if name.startswith('RLIMIT_'):
                which = getattr(resource, name)
                try:
                    self.limits[name] = (which, resource.getrlimit(which))
                except (OSError, ValueError):
                    pass
        _drop_module('resource')  # an example importing it is what makes the limits worth checking

    def _remember_loggers(self):
        items = [('', logging.root), *logging.Logger.manager.loggerDict.items()]
        for name, logger in items:
            if isinstance(logger, logging.Logger) and name not in self.loggers:
                self.loggers[name] = (logger, logger.level, list(logger.handlers), logger.propagate, logger.disabled, list(logger.filters))
        self.logger_names = len(logging.Logger.manager.loggerDict)

    # -- putting back ---------------------------------------------------------------------------

    def restore(self, removed_dir=None):
        """Put back what the example changed. Returns why the worker must be retired ([] if not)."""
        module_watch.undo()
        self._restore_sys()
        self._restore_builtins()
        self._restore_modules(removed_dir)
        if sys.path_hooks != self.path_hooks:
            sys.path_hooks[:] = self.path_hooks
        if sys.meta_path != self.meta_path:
            sys.meta_path[:] = self.meta_path
        self._restore_interpreter()
        self._restore_signals()
        self._restore_logging()
        if self.dirty:
            self._restore_dirty()
        self._restore_optional_modules()
        if atexit._ncallbacks():
            atexit._clear()
        module_watch.forget()  # our own setattr calls above are not the example's
        reasons = self.retire_reasons[:]
        self.retire_reasons.clear()
        reasons += self._unrestorable()
        return reasons

    def _restore_sys(self):
        """sys.ps1, sys.tracebacklimit, the hooks, ...: sys is not watched (see module_watch)."""
        namespace, base = sys.__dict__, self.sys
        if namespace == self.sys_as_left:
            return
        for name in namespace.keys() - base.keys():
            if name not in STREAMS:
                del namespace[name]
        for name, value in base.items():
            if namespace.get(name, MISSING) is not value:
                namespace[name] = value
        self.sys_as_left = dict(namespace)

    def _restore_builtins(self):
        namespace = builtins.__dict__
        if namespace != self.builtins:
            for name in namespace.keys() - self.builtins.keys():
                del namespace[name]
            namespace.update(self.builtins)

    def _restore_modules(self, removed_dir):
        modules = sys.modules
        if modules == self.modules:
            return
        for name in modules.keys() - self.modules.keys():
            module = modules[name]
            spec = getattr(module, '__spec__', None) if isinstance(module, types.ModuleType) else None
            from_dir = removed_dir and (getattr(module, '__file__', None) or '').startswith(removed_dir)
            if spec is None or getattr(spec, 'name', None) != name or from_dir:
                del modules[name]  # a fake entry, an alias, or the example's own file: not cached
        for name, module in self.modules.items():
            if modules.get(name) is not module:
                modules[name] = module
        new = {name: modules[name] for name in modules.keys() - self.modules.keys()}
        module_watch.watch(new.values())
        self.modules.update(new)

    def _restore_interpreter(self):
        if threading.excepthook is not self.thread_hook:
            threading.excepthook = self.thread_hook
        trace, profile, thread_trace, thread_profile = self.trace
        if sys.gettrace() is not trace:
            sys.settrace(trace)
        if sys.getprofile() is not profile:
            sys.setprofile(profile)
        if threading._trace_hook is not thread_trace or threading._profile_hook is not thread_profile:
            threading.settrace(thread_trace)
            threading.setprofile(thread_profile)
        if sys.getrecursionlimit() != self.recursion:
            sys.setrecursionlimit(self.recursion)
        if sys.get_int_max_str_digits() != self.int_digits:
            sys.set_int_max_str_digits(self.int_digits)
        if sys.getswitchinterval() != self.switch:
            sys.setswitchinterval(self.switch)
        if sys.getdlopenflags() != self.dlopen:
            sys.setdlopenflags(self.dlopen)
        enabled, threshold, debug, frozen, callbacks = self.gc
        if (gc.isenabled(), gc.get_threshold(), gc.get_debug(), gc.get_freeze_count()) != (enabled, threshold, debug, frozen):
            gc.enable() if enabled else gc.disable()
            gc.set_threshold(*threshold)
            gc.set_debug(debug)
            if gc.get_freeze_count() != frozen:
                gc.unfreeze()
        if gc.callbacks != callbacks:
            gc.callbacks[:] = callbacks
        if asyncio.events._event_loop_policy is not self.policy:
            asyncio.events._event_loop_policy = self.policy
        _thread.stack_size(0)  # back to the default for threads started later
        if warnings.defaultaction != self.warnings_default:
            warnings.defaultaction = self.warnings_default
        if socket.getdefaulttimeout() != self.socket_timeout:
            socket.setdefaulttimeout(self.socket_timeout)
        if not faulthandler.is_enabled():
            faulthandler.enable()
        faulthandler.cancel_dump_traceback_later()

    def _restore_signals(self):
        # Timers first: a timer firing after its handler is back to the default would kill us.
        for which in TIMERS:
            if signal.getitimer(which) != (0.0, 0.0):
                signal.setitimer(which, 0)
        if signal.pthread_sigmask(signal.SIG_BLOCK, []) != self.sigmask:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.sigmask)
        signal.set_wakeup_fd(-1)
        getsignal = _signal.getsignal
        for sig, handler in self.common_signals:
            if getsignal(sig) is not handler:
                _signal.signal(sig, handler)
        if 'signals' in self.dirty:
            for sig, handler in self.signals.items():
                if getsignal(sig) is not handler:
                    _signal.signal(sig, handler)
            for sig in self.touched_signals:
                if int(sig) not in self.signals:
                    try:
                        _signal.signal(sig, _signal.SIG_DFL)
                    except (OSError, ValueError, TypeError):
                        pass
            self.touched_signals.clear()

    def _restore_logging(self):
        for name, (logger, level, handlers, propagate, disabled, filters) in self.loggers.items():
            if (logger.level != level or logger.handlers != handlers or logger.propagate != propagate
                    or logger.disabled != disabled or logger.filters != filters):
                for handler in logger.handlers:
                    if handler not in handlers:
                        handler.close()
                logger.handlers[:] = handlers
                logger.filters[:] = filters
                logger.propagate, logger.disabled = propagate, disabled
                logger.setLevel(level)
        manager = logging.Logger.manager
        if len(manager.loggerDict) != self.logger_names:
            for name, logger in list(manager.loggerDict.items()):
                if isinstance(logger, logging.Logger) and name not in self.loggers:
                    # A logger first made by this example: back to how getLogger() makes one.
                    logger.handlers[:] = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
                    logger.filters[:] = []
                    logger.propagate, logger.disabled = True, False
                    logger.setLevel(logging.NOTSET)
            self._remember_loggers()
        if manager.disable:
            logging.disable(logging.NOTSET)
        last, raise_exc, logger_class, factory = self.logging
        if logging.lastResort is not last or logging.raiseExceptions != raise_exc:
            logging.lastResort, logging.raiseExceptions = last, raise_exc
        if logging.getLoggerClass() is not logger_class:
            logging.setLoggerClass(logger_class)
        if logging.getLogRecordFactory() is not factory:
            logging.setLogRecordFactory(factory)
        if logging._warnings_showwarning is not None:
            logging.captureWarnings(False)

    def _restore_dirty(self):
        dirty = self.dirty
        if 'timers' in dirty:
            for which in TIMERS:
                signal.setitimer(which, 0)
        if 'random' in dirty:
            random.seed.__wrapped__()  # fresh from the OS, as a new interpreter would start
        if 'locale' in dirty and locale.setlocale.__wrapped__(locale.LC_ALL) != self.locale:
            locale.setlocale.__wrapped__(locale.LC_ALL, self.locale)
        if 'faulthandler' in dirty:
            for sig in SIGNALS:
                faulthandler.unregister(sig)
        dirty.clear()

    def _restore_optional_modules(self):
        """State of modules the worker does not import itself: checked only once an example has."""
        modules = sys.modules
        decimal = modules.get('decimal')
        if decimal is not None:
            # The current context lives in a context variable: each example runs in a fresh
            # contextvars.Context, so only the template for new contexts needs a look.
            if self.decimal_default is None:
                fresh = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999, Emax=999999,
                                        capitals=1, clamp=0, flags=[],
                                        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
                self.decimal_default = (fresh, repr(fresh))
            fresh, text = self.decimal_default
            if repr(decimal.DefaultContext) != text:
                for field in ('prec', 'rounding', 'Emin', 'Emax', 'capitals', 'clamp', 'flags', 'traps'):
                    setattr(decimal.DefaultContext, field, getattr(fresh, field))
        tracemalloc = modules.get('tracemalloc')
        if tracemalloc is not None and tracemalloc.is_tracing():
            tracemalloc.stop()

    def _unrestorable(self):
        reasons = []
        for name in UNTRUSTED_IMPORTS:
            if name in sys.modules:
                reasons.append(f'it imported {name}, through which C-level state can change unseen')
                _drop_module(name)
        if 'resource' in sys.modules and self.resource is not None:
            resource = self.resource
            for name, (which, (soft, hard)) in self.limits.items():
                now_soft, now_hard = resource.getrlimit(which)
                if now_hard != hard:
                    reasons.append(f'it changed the hard limit {name}, which cannot be raised again')
                elif now_soft != soft:
                    resource.setrlimit(which, (soft, hard))
        if (os.getpgid(0), os.getsid(0), os.getresuid(), os.getresgid()) != self.ids:
            reasons.append('it changed the process group, session or user of the worker')
        return reasons
