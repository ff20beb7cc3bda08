/**
 * What one note's examples change in the interpreter must not reach another note's examples run
 * after them in the same warm worker (the pool of this thread has one worker).
 */
import { describe, expect, it } from 'vitest';
import { pidOf, runNote } from './helpers.ts';

describe('state does not leak from one note to the next in one worker', () => {
  it('the polluting examples pass, and a note run after them sees a fresh interpreter', async () => {
    const polluter = await runNote('notes/polluter.md');
    for (const [name, verdict] of polluter) expect([name, verdict.status, verdict.message]).toEqual([name, 'passed', undefined]);
    const innocent = await runNote('notes/innocent.md');
    // The same worker: the check below means something only if nothing was restarted in between.
    expect(pidOf(innocent.get('worker'))).toBe(pidOf(polluter.get('worker')));
    const everything = innocent.get('everything-as-new')!;
    expect(everything.message ?? '').toBe('');
    expect(everything.status).toBe('passed');
  });
});
