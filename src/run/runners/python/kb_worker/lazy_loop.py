"""The event loop of a job, made only when something asks for it.

The worker used to make a loop for every job and close it afterwards: about 0.1 ms per example
(a selector, a socket pair, their closing), most of a plain example's cost, for the few examples
that use asyncio. Under this policy a job starts with no loop but a pending one: the first
`asyncio.get_event_loop()` in the main thread (the example's own, or the worker's for a top-level
`await`) makes it and sets it, so what an example sees is what it saw when the worker set the
loop at the start. Once anyone sets a loop (`asyncio.run()` sets None at its end), asyncio's
default behaviour holds for the rest of the job. Sessions keep their own loop and never use this.
"""
import asyncio
import threading

_Base = asyncio.DefaultEventLoopPolicy


class LazyLoopPolicy(_Base):
    _kb_pending = False
    _kb_made = None

    def begin_job(self):
        """No loop yet: the first one asked for is made then."""
        _Base.set_event_loop(self, None)
        self._kb_pending = True
        self._kb_made = None

    def job_loop(self):
        """The job's own loop (made now if needed), as the worker set it at the start."""
        if self._kb_made is None:
            self._kb_made = self.new_event_loop()
            if self._kb_pending:
                self._kb_pending = False
                _Base.set_event_loop(self, self._kb_made)
        return self._kb_made

    def end_job(self):
        """The loop made for the job, if one was (the worker closes it)."""
        self._kb_pending = False
        made, self._kb_made = self._kb_made, None
        return made

    def set_event_loop(self, loop):
        self._kb_pending = False
        _Base.set_event_loop(self, loop)

    def get_event_loop(self):
        if self._kb_pending and threading.current_thread() is threading.main_thread():
            return self.job_loop()
        return _Base.get_event_loop(self)


# What an example sees of the policy is asyncio's own.
LazyLoopPolicy.__name__ = _Base.__name__
LazyLoopPolicy.__qualname__ = _Base.__qualname__
LazyLoopPolicy.__module__ = _Base.__module__


def install():
    """Make the lazy policy the process's (before ProcessState records the policy to put back)."""
    policy = asyncio.events._event_loop_policy
    if not isinstance(policy, LazyLoopPolicy):
        policy = LazyLoopPolicy()
        asyncio.set_event_loop_policy(policy)
    return policy
