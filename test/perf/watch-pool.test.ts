/**
 * In watch mode vitest ends its test workers after every run; the Python interpreters must not
 * end with them. A rerun of a note runs its examples on the interpreter that ran them before
 * (the run's pool server), each still in a fresh namespace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createVitest, type TestCase } from 'vitest/node';
import { kbNotes } from '../../src/vitest/plugin.ts';
import { notesTestOptions } from '../../src/vitest/notes-project.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'kb-watch-pool-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a watch-mode rerun finds the same warm interpreter, and a fresh namespace in it', async () => {
  mkdirSync(path.join(root, 'notes'));
  // Unsandboxed, so the example sees its worker's real pid (a sandbox's PID namespace hides it).
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, kb: { sandbox: 'off' } }));
  const note = path.join(root, 'notes', 'pid.md');
  writeFileSync(note, '# Pid\n\n```python\nimport os\nprint(os.getpid(), "seen" in globals())\nseen = True\n```\n\n```output regex\n\\d+ False\n```\n');
  const outputs: string[] = [];
  const reporter = {
    onTestCaseResult(testCase: TestCase) {
      const kb = (testCase.meta() as Record<string, unknown>)['kb'] as { actualOutput?: string; status?: string } | undefined;
      if (kb?.actualOutput !== undefined) outputs.push(kb.actualOutput.trim());
    },
  };
  const vitest = await createVitest('test', { root, config: false, watch: true, cache: false, reporters: [reporter], ...notesTestOptions() }, { plugins: [kbNotes({ root, cache: false })] });
  try {
    await vitest.start();
    await vitest.rerunTestSpecifications(vitest.getModuleSpecifications(note));
    await vitest.rerunTestSpecifications(vitest.getModuleSpecifications(note));
  } finally {
    await vitest.close();
  }
  expect(outputs).toHaveLength(3);
  const [pid] = outputs[0]!.split(' ');
  expect(outputs).toEqual([`${pid} False`, `${pid} False`, `${pid} False`]);
}, 60_000);
