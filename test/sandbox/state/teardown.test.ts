/** What hidden setup and teardown print is not part of the example's compared output. */
import { describe, expect, it } from 'vitest';
import { runNote } from './helpers.ts';

describe('hidden setup and teardown output', () => {
  it.each([['notes/teardown-python.md'], ['notes/teardown-js.md']])('%s: only the example\'s own output is compared', async (note) => {
    const verdicts = await runNote(note);
    for (const [name, v] of verdicts) expect([name, v.status, v.message]).toEqual([name, 'passed', undefined]);
  });
});
