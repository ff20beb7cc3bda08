/**
 * Outside sessions the worker makes an example's event loop only when something asks for one
 * (kb_worker/lazy_loop.py): what an example sees of asyncio must be what it saw when the worker
 * made the loop before every example.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../src/run/runners/python/pool.ts';
import { hostPids, job } from '../run/python/fixtures/helpers.ts';

const pool = new PythonPool({ settings: hostPids });
afterAll(() => pool.close());

const probes: [string, string, string][] = [
  ['get_event_loop gives one open loop, the current one', 'import asyncio\nloop = asyncio.get_event_loop()\nprint(loop.is_closed(), loop is asyncio.get_event_loop(), loop.is_running())', 'False True False'],
  ['a top-level await runs in that same loop', 'import asyncio\nbefore = asyncio.get_event_loop()\nawait asyncio.sleep(0)\nprint(asyncio.get_running_loop() is before)', 'True'],
  ['a top-level await first, then get_event_loop', 'import asyncio\nawait asyncio.sleep(0)\nrunning = asyncio.get_running_loop()\nprint(running is asyncio.get_event_loop())', 'True'],
  ['asyncio.run works and leaves no current loop, as in a script', 'import asyncio\nasyncio.run(asyncio.sleep(0))\ntry:\n    asyncio.get_event_loop()\n    print("a loop")\nexcept RuntimeError:\n    print("no current loop")', 'no current loop'],
  ["the example's own loop stays its own", 'import asyncio\nmine = asyncio.new_event_loop()\nasyncio.set_event_loop(mine)\nprint(asyncio.get_event_loop() is mine)\nmine.close()', 'True'],
  ['the policy looks like asyncio\'s own', 'import asyncio\np = type(asyncio.get_event_loop_policy())\nprint(p.__module__, p.__qualname__)', 'asyncio.unix_events _UnixDefaultEventLoopPolicy'],
  ['a thread gets no loop made for it', 'import asyncio, threading\nout = []\ndef probe():\n    try:\n        asyncio.get_event_loop()\n        out.append("a loop")\n    except RuntimeError:\n        out.append("none")\nt = threading.Thread(target=probe)\nt.start(); t.join()\nprint(out[0])', 'none'],
];

describe('the lazily made event loop', () => {
  it.each(probes)('%s', async (_name, code, expected) => {
    const result = await pool.run(job(code));
    expect([result.status, result.stdout.trim(), result.exception?.message]).toEqual(['passed', expected, undefined]);
  });

  it('each example gets a fresh loop, and the one made for the previous example is closed', async () => {
    const first = await pool.run(job('import asyncio, gc\nloop = asyncio.get_event_loop()\nprint(id(loop))'));
    const second = await pool.run(job('import asyncio, gc\nloops = [o for o in gc.get_objects() if isinstance(o, asyncio.AbstractEventLoop)]\nprint(sorted(l.is_closed() for l in loops if l is not asyncio.get_event_loop()))'));
    expect(first.status).toBe('passed');
    expect(second.status, second.stderr).toBe('passed');
    expect(second.stdout.trim()).not.toContain('False');
  });
});
