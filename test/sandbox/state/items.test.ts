/**
 * Each kind of interpreter state on its own: one example changes it, the next example in the same
 * worker must find it as a fresh interpreter has it. (leak-between-notes.test.ts does all of them
 * at once through notes.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job } from '../../run/python/fixtures/helpers.ts';

const pool = new PythonPool({ size: 1 });
afterAll(() => pool.close());

/** Which worker ran the example: pid and start time (in a sandbox's PID namespace every pid is the same). */
const WHO = 'with open("/proc/self/stat") as _f:\n    _stat = _f.read()\nprint("worker", _stat.split()[0], _stat.rsplit(")", 1)[1].split()[19])\n';
const worker = (stdout: string): string => stdout.split('\n')[0] ?? '';

const ITEMS: [string, string, string, string][] = [
  ['builtins (replaced)', 'import builtins\nbuiltins.len = lambda x: -1', 'print(len([1]))', '1'],
  ['builtins (added)', 'import builtins\nbuiltins.kb_extra = 1', 'import builtins\nprint(hasattr(builtins, "kb_extra"))', 'False'],
  ['builtins (deleted)', 'import builtins\ndel builtins.sorted', 'print(sorted([2, 1]))', '[1, 2]'],
  ['builtins (through the dict)', 'import builtins\nvars(builtins)["min"] = max', 'print(min(1, 2))', '1'],
  ['sys.modules (replaced)', 'import sys\nsys.modules["json"] = None', 'import json\nprint(json.dumps(1))', '1'],
  ['sys.modules (deleted)', 'import sys, tempfile\ndel sys.modules["random"]', 'import random, tempfile\nprint(random.Random is tempfile._Random)', 'True'],
  ['sys.modules (fake added)', 'import sys, types\nsys.modules["kb_fake"] = types.ModuleType("kb_fake")', 'import sys\nprint("kb_fake" in sys.modules)', 'False'],
  ['a module attribute', 'import os\nos.getcwd = lambda: "/x"', 'import os\nprint(os.getcwd() == os.environ["HOME"])', 'True'],
  ['sys attributes', 'import sys\nsys.tracebacklimit = 0\nsys.ps1 = "$ "', 'import sys\nprint(hasattr(sys, "tracebacklimit"), hasattr(sys, "ps1"))', 'False False'],
  ['sys.path and sys.argv', 'import sys\nsys.path.append("/x")\nsys.argv[:] = ["x", "y"]', 'import sys\nprint("/x" in sys.path, sys.argv)', "False ['']"],
  ['os.environ and TZ', 'import os, time\nos.environ["TZ"] = "Asia/Tokyo"\ntime.tzset()', 'import os, time\nprint(os.environ.get("TZ"), time.tzname[0])', 'None UTC'],
  ['the working directory', 'import os\nos.chdir("/")', 'import os\nprint(os.getcwd() == os.environ["HOME"])', 'True'],
  ['umask', 'import os\nos.umask(0o077)', 'import os\nprint(oct(os.umask(0o022)))', '0o22'],
  ['a signal handler', 'import signal\nsignal.signal(signal.SIGUSR1, lambda *a: None)', 'import signal\nprint(signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL)', 'True'],
  ['an ITIMER_PROF timer', 'import signal\nsignal.signal(signal.SIGPROF, lambda *a: print("PROF"))\nsignal.setitimer(signal.ITIMER_PROF, 0.01, 0.01)', 'import signal, time\nend = time.process_time() + 0.2\nwhile time.process_time() < end: pass\nprint(signal.getitimer(signal.ITIMER_PROF))', '(0.0, 0.0)'],
  ['an ITIMER_REAL timer', 'import signal\nsignal.signal(signal.SIGALRM, lambda *a: print("ALARM"))\nsignal.setitimer(signal.ITIMER_REAL, 0.1)', 'import time\ntime.sleep(0.3)\nprint("quiet")', 'quiet'],
  ['the signal mask', 'import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])', 'import signal\nprint(signal.pthread_sigmask(signal.SIG_BLOCK, []))', 'set()'],
  ['the event-loop policy', 'import asyncio\nclass P(asyncio.DefaultEventLoopPolicy): pass\nasyncio.set_event_loop_policy(P())', 'import asyncio\nprint(type(asyncio.get_event_loop_policy()).__name__)', '_UnixDefaultEventLoopPolicy'],
  ['the decimal context', 'import decimal\ndecimal.getcontext().prec = 3', 'import decimal\nprint(decimal.Decimal(2) / 3)', '0.6666666666666666666666666667'],
  ['decimal.DefaultContext', 'import decimal\ndecimal.DefaultContext.prec = 3', 'import decimal\nprint(decimal.DefaultContext.prec)', '28'],
  ['gc state', 'import gc\ngc.disable()\ngc.set_threshold(5, 5, 5)\ngc.freeze()', 'import gc\nprint(gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())', 'True (700, 10, 10) 0'],
  ['the recursion limit', 'import sys\nsys.setrecursionlimit(60)', 'import sys\nprint(sys.getrecursionlimit())', '1000'],
  ['sys.set_int_max_str_digits', 'import sys\nsys.set_int_max_str_digits(640)', 'print(len(str(10 ** 1000)))', '1001'],
  ['the switch interval', 'import sys\nsys.setswitchinterval(1.0)', 'import sys\nprint(sys.getswitchinterval())', '0.005'],
  ['warnings filters', 'import warnings\nwarnings.simplefilter("error")\nwarnings.defaultaction = "error"', 'import warnings\nprint(warnings.filters[0][0], warnings.defaultaction)', 'default default'],
  ['logging', 'import logging\nlogging.basicConfig(level=logging.DEBUG)\nlogging.getLogger("kb").setLevel(logging.CRITICAL)\nlogging.disable(logging.ERROR)', 'import logging\nprint(logging.root.level, logging.root.handlers, logging.getLogger("kb").level, logging.root.manager.disable)', '30 [] 0 0'],
  ['hooks', 'import sys, threading\nsys.excepthook = sys.displayhook = threading.excepthook = print', 'import sys, threading\nprint(sys.excepthook is sys.__excepthook__, sys.displayhook is sys.__displayhook__, threading.excepthook is threading.__excepthook__)', 'True True True'],
  ['atexit registrations', 'import atexit\natexit.register(print, "at exit")', 'import atexit\nprint(atexit._ncallbacks())', '0'],
  ['the standard streams', 'import io, os, sys\nsys.stdout = io.StringIO()\nos.close(0)', 'import os\nprint(os.path.exists("/proc/self/fd/0"))', 'True'],
  ['a closed stdout', 'import sys\nsys.stdout.close()', 'print("open")', 'open'],
  ['the random seed', 'import random\nrandom.seed(7)', 'import random\nprint(random.random() != random.Random(7).random())', 'True'],
  ['locale', 'import locale\nlocale.setlocale(locale.LC_CTYPE, "C")', 'import locale\nprint(locale.setlocale(locale.LC_CTYPE))', 'C.UTF-8'],
  ['socket.setdefaulttimeout', 'import socket\nsocket.setdefaulttimeout(1)', 'import socket\nprint(socket.getdefaulttimeout())', 'None'],
  ['faulthandler', 'import faulthandler\nfaulthandler.disable()\nfaulthandler.dump_traceback_later(0.1)', 'import faulthandler, sys, time\ntime.sleep(0.3)\nprint(faulthandler.is_enabled())', 'True'],
  ['tracemalloc', 'import tracemalloc\ntracemalloc.start()', 'import tracemalloc\nprint(tracemalloc.is_tracing())', 'False'],
  ['settrace and setprofile', 'import sys, threading\nsys.settrace(lambda *a: None)\nsys.setprofile(lambda *a: None)\nthreading.setprofile(print)', 'import sys, threading\nprint(sys.gettrace(), sys.getprofile(), threading._profile_hook)', 'None None None'],
  ['the thread stack size', 'import threading\nthreading.stack_size(1 << 20)', 'import threading\nprint(threading.stack_size())', '0'],
  ['context variables', 'import contextvars, sys, tempfile, os\nd = tempfile.mkdtemp()\nopen(os.path.join(d, "kb_cv.py"), "w").write("import contextvars\\nv = contextvars.ContextVar(\'v\', default=\'clean\')\\n")\nsys.path.insert(0, d)\nimport kb_cv\nkb_cv.v.set("dirty")', 'import sys\nprint(sys.modules["kb_cv"].v.get())', 'clean'],
];

describe('one kind of interpreter state at a time, in one worker', () => {
  it.each(ITEMS)('%s', async (_name, pollute, check, expected) => {
    const [first, second] = await Promise.all([pool.run(job(WHO + pollute)), pool.run(job(WHO + check))]);
    expect(first.status, first.exception?.traceback ?? first.message).toBe('passed');
    expect(second.exception?.traceback ?? second.message ?? '').toBe('');
    expect(worker(second.stdout)).toMatch(/^worker \d+ \d+$/);
    expect(worker(second.stdout)).toBe(worker(first.stdout));
    expect(second.stdout.split('\n').slice(1).join('\n')).toBe(`${expected}\n`);
    expect(second.stderr).toBe('');
  });
});
