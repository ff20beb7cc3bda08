/** Python fences holding `>>>` REPL transcripts are checked as doctest, prompt by prompt at the prompt's line. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';
import { NoteRun } from '../../src/run/run-note.ts';
import { revealHiddenLines } from '../../src/plan/hidden-lines.ts';

const root = path.resolve('test/fixtures/adopt');
const file = path.join(root, 'transcripts.md');
const plan = extractPlan(noteFromText(file, readFileSync(file, 'utf8'), { root }), { root });
const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example');


describe('>>> transcripts in python fences', () => {
  it('are planned as pycon; scripts stay python', () => {
    expect(plan.diagnostics).toEqual([]);
    expect(examples.map((e) => [e.line, e.lang, e.runner])).toEqual([
      [3, 'python', 'pycon'],
      [10, 'py', 'pycon'],
      [19, 'python', 'pycon'],
      [27, 'python', 'pycon'],
      [33, 'python', 'pycon'],
      [37, 'python', 'python'],
    ]);
  });

  it('run as doctest: await at a prompt, a failure at the failing prompt, no-output-check', async () => {
    const run = new NoteRun(plan, file, root);
    const verdicts = await Promise.all(examples.map((e) => run.exampleVerdict(e.id)));
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'failed', 'passed', 'failed', 'passed']);
    expect(verdicts[2]!.line).toBe(21);
    expect(verdicts[2]!.message).toMatch(/line 21: x \* 2/);
    expect(verdicts[4]!.message).toMatch(/ZeroDivisionError/);
  });

  it('no-output-check applies only to transcripts', () => {
    const text = '```js no-output-check\nconsole.log(1)\n```\n';
    const p = extractPlan(noteFromText(path.join(root, 'x.md'), text, { root }), { root });
    expect(p.diagnostics.map((d) => d.ruleId)).toEqual(['option-not-applicable']);
  });
});

describe('no-run', () => {
  const noRunFile = path.join(root, 'no-run.md');
  const noRunPlan = extractPlan(noteFromText(noRunFile, readFileSync(noRunFile, 'utf8'), { root }), { root });
  const noRunExamples = noRunPlan.items.filter((i): i is ExamplePlan => i.kind === 'example');

  it('compiles Python and parses JavaScript without running; a syntax error fails at its note line', async () => {
    expect(noRunPlan.diagnostics).toEqual([]);
    const run = new NoteRun(noRunPlan, noRunFile, root);
    const verdicts = await Promise.all(noRunExamples.map((e) => run.exampleVerdict(e.id)));
    expect(verdicts.map((v) => [v.status, v.line])).toEqual([['passed', undefined], ['failed', 9], ['passed', undefined], ['failed', 18]]);
    expect(verdicts[1]!.message).toMatch(/SyntaxError/);
    expect(verdicts[3]!.message).toMatch(/SyntaxError.*no-run/);
  });

  it('is refused with an output block or raises=, and on a shell example', () => {
    const text = '```python no-run\nprint(1)\n```\n\n```output\n1\n```\n\n```sh no-run\nls\n```\n';
    const p = extractPlan(noteFromText(path.join(root, 'x.md'), text, { root }), { root });
    expect(p.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['1:11 option-not-applicable', '9:7 option-not-applicable']);
  });
});

describe('hidden lines', () => {
  it('`#kb:` and `//kb:` lines run uncommented and keep their line numbers', () => {
    expect(revealHiddenLines('python', 'a = 1\n    #kb: b = 2\n# kb: c\nprint(b)')).toBe('a = 1\n    b = 2\n# kb: c\nprint(b)');
    expect(revealHiddenLines('js', '//kb: let x = 1;\nx')).toBe('let x = 1;\nx');
    expect(revealHiddenLines('sh', '#kb: rm -rf x')).toBe('#kb: rm -rf x');
  });

  it('run in a note', async () => {
    const f = path.join(root, 'hidden-lines.md');
    const p = extractPlan(noteFromText(f, readFileSync(f, 'utf8'), { root }), { root });
    const run = new NoteRun(p, f, root);
    const ex = p.items.filter((i): i is ExamplePlan => i.kind === 'example');
    expect((await Promise.all(ex.map((e) => run.exampleVerdict(e.id)))).map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    expect(ex[0]!.code).toMatch(/^#kb: import json/); // the plan (and the report) keep the code as the page shows it
  });
});

describe('await at a prompt inside a session, as in the asyncio REPL', () => {
  const sessionFile = path.join(root, 'session-await.md');
  const sessionPlan = extractPlan(noteFromText(sessionFile, readFileSync(sessionFile, 'utf8'), { root }), { root });
  const sessionExamples = sessionPlan.items.filter((i): i is ExamplePlan => i.kind === 'example');

  it('awaits a task an earlier block created, defines and awaits coroutines, and a wrong value fails at its prompt', async () => {
    expect(sessionPlan.diagnostics).toEqual([]);
    const run = new NoteRun(sessionPlan, sessionFile, root);
    const verdicts = [];
    for (const e of sessionExamples) verdicts.push(await run.exampleVerdict(e.id));
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'failed']);
    expect(verdicts[2]!.line).toBe(34);
    expect(verdicts[2]!.message).toMatch(/'right'[\s\S]*'wrong'|'wrong'[\s\S]*'right'/);
  });
});

describe('$ prompts in shell fences', () => {
  const promptsFile = path.join(root, 'shell-prompts.md');
  const promptsPlan = extractPlan(noteFromText(promptsFile, readFileSync(promptsFile, 'utf8'), { root }), { root });
  const promptExamples = promptsPlan.items.filter((i): i is ExamplePlan => i.kind === 'example');

  it('a shell fence whose first non-blank line is a `$ ` prompt is a terminal session (console); scripts stay sh', () => {
    expect(promptsPlan.diagnostics).toEqual([]);
    expect(promptExamples.map((e) => [e.line, e.lang, e.runner])).toEqual([
      [3, 'bash', 'console'],
      [8, 'sh', 'console'],
      [15, 'shell', 'console'],
      [20, 'bash', 'sh'],
      [24, 'console', 'console'],
    ]);
  });

  it('runs each command and compares its output; a wrong output fails at its prompt', async () => {
    const run = new NoteRun(promptsPlan, promptsFile, root);
    const verdicts = await Promise.all(promptExamples.map((e) => run.exampleVerdict(e.id)));
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'failed', 'passed', 'passed']);
    expect(verdicts[2]!.message).not.toMatch(/command not found/);
  });

  it('an sh option on such a fence says why the fence is read as console', () => {
    const text = '# T\n\n```bash exit=1\n$ false\n```\n';
    const p = extractPlan(noteFromText(path.join(root, 'x.md'), text, { root }), { root });
    expect(p.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['option-not-applicable', 3]]);
    expect(p.diagnostics[0]!.reason).toMatch(/`bash` fence whose first line is a `\$` prompt is a transcript, checked as `console`/);
  });
});
