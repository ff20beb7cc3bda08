/** Fenced examples: a fence in a language that runs (or bound to a file by an include) becomes an example of the plan. */
import type { Code, RootContent } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { takeSkip } from './annotation-nodes.ts';
import { fenceInfoOf, checkRequires, reportFenceOptionErrors, reportOptionsOnDirective } from './fence-options.ts';
import { isTerminated } from './fences.ts';
import { misspeltRunnerLanguage, RUNNER_LANGUAGES, runnerFor } from './languages.ts';
import { DEFAULT_TIMEOUT_MS, EXAMPLE_OPTIONS, matchModes, validateOptions, type ParsedOptions } from './options.ts';
import { applyNoteSettings } from './note-settings.ts';
import { checkOutputPlacement, collectOutputs } from './outputs.ts';
import type { ExamplePlan, RunnerName } from './types.ts';
import { sandboxOptions } from './front-matter.ts';
import { addItem, headingPath, noteBody, place, type Walk } from './walk-state.ts';

export function onCode(walk: Walk, node: Code, siblings: RootContent[], index: number): void {
  const file = walk.note.file;
  if (!isTerminated(walk.source, node)) {
    // Inside a block quote or list item the fence ends with its container, not at the end of the note.
    const endsNote = walk.source.slice(node.position?.end.offset ?? 0).trim() === '';
    const inContainer = walk.origin.line > 0 || walk.origin.column > 0;
    const consequence = endsNote && inContainer ? 'so the rest of its admonition or tab is read as code' : endsNote ? 'so the rest of the note is read as code' : `so it ends where its block quote or list item ends (line ${node.position?.end.line ?? '?'})`;
    report(file, `this fence is never closed, ${consequence}; close it with a line of the same fence characters`, place(node), 'unterminated-fence');
    walk.pendingInclude = undefined;
    return;
  }
  const info = fenceInfoOf(walk, node);
  const lang = info.lang;
  if (lang === 'output') {
    checkOutputPlacement(walk, node, siblings, index);
    return; // attached to its example by collectOutputs
  }
  // An option on a MyST directive fence, which never runs, can only be a mistake.
  if (reportOptionsOnDirective(walk, node, info, Object.keys(EXAMPLE_OPTIONS))) return;
  const runner = info.raw ? 'not-executable' : transcriptRunner(runnerFor(lang), node.value);
  const include = walk.pendingInclude?.include;
  walk.pendingInclude = undefined;
  if (runner === 'not-executable' && !include) return;
  if (info.error) {
    report(file, `malformed info string: ${info.error.message}`, place(node, info.error.offset), 'malformed-info-string');
    return;
  }
  if (runner === null) {
    const close = misspeltRunnerLanguage(lang);
    if (close) {
      report(file, `unknown language \`${lang}\`; did you mean \`${close}\`? (known runners: ${RUNNER_LANGUAGES.join(', ')})`, place(node, info.langOffset), 'unknown-language');
      return;
    }
  }
  const effectiveRunner = runner === 'not-executable' ? null : runner;
  const what = `a \`${lang || 'plain'}\` example`;
  const read = reportFenceOptionErrors(walk, node, info, EXAMPLE_OPTIONS, what);
  if (!read) return;
  const { options, attributes } = read;
  const { values, errors } = validateOptions(options, EXAMPLE_OPTIONS, effectiveRunner, what);
  // A fence read as a transcript because of its first prompt: say so, the author wrote another language.
  const readAs = effectiveRunner !== null && effectiveRunner !== runnerFor(lang)
    ? ` (a \`${lang}\` fence whose first line is a \`${effectiveRunner === 'pycon' ? '>>>' : '$'}\` prompt is a transcript, checked as \`${effectiveRunner}\`)`
    : '';
  for (const e of errors) report(file, e.ruleId === 'option-not-applicable' ? e.message + readAs : e.message, place(node, e.offset), e.ruleId);
  if (errors.length > 0) return;
  if (!checkOptionCombinations(walk, node, values, effectiveRunner, options)) return;
  if (!checkRequires(walk, node, options, values)) return;
  const { bodyStart, bodyEnd } = noteBody(walk, node);
  const skipped = takeSkip(walk);
  const example: ExamplePlan = {
    kind: 'example',
    id: `example-${node.position!.start.line}`,
    // An include on a data block (json, text): the block is checked against the file, nothing runs.
    lang: runner === 'not-executable' ? lang || 'text' : lang,
    runner: effectiveRunner,
    code: node.value,
    codeLine: node.position!.start.line + 1,
    line: node.position!.start.line,
    column: node.position!.start.column,
    options: {
      name: values['name'] as string | undefined,
      skip: (values['skip'] as string | true | undefined) ?? skipped,
      timeoutMs: values['timeout'] !== undefined ? Math.round((values['timeout'] as number) * 1000) : DEFAULT_TIMEOUT_MS,
      claims: (values['claim'] as string[] | undefined) ?? [],
      session: values['session'] as string | undefined,
      isolate: values['isolate'] as 'process' | undefined,
      requires: (values['requires'] as string[] | undefined) ?? [],
      raises: values['raises'] as string | undefined,
      match: values['match'] as string | undefined,
      modes: matchModes(values),
      exit: values['exit'] as number | undefined,
      noOutputCheck: values['no-output-check'] === true ? true : undefined,
      noRun: values['no-run'] === true ? true : undefined,
      ...sandboxOptions(values),
    },
    outputs: collectOutputs(walk, siblings, index),
    headingPath: headingPath(walk),
    setup: [],
    teardown: [],
    include,
    bodyStart,
    bodyEnd,
  };
  if (attributes.length > 0) example.attributes = attributes;
  if (example.options.noRun && (example.outputs.length > 0 || example.options.raises !== undefined)) {
    // What never runs has no output and raises nothing: a check that could never fail.
    const what = example.outputs.length > 0 ? `the \`output\` block at line ${example.outputs[0]!.line}` : '`raises=`';
    report(file, `\`no-run\` only compiles the example, so ${what} would never be checked; remove one of them`, place(node, options.find((o) => o.key === 'no-run')?.offset ?? 0), 'option-not-applicable');
    return;
  }
  const pulled = rendererInclude(node.value);
  if (example.runner && pulled) {
    // What runs would be the directive, not the code the page shows: list it as not run, never as failed or passed.
    example.runner = null;
    example.notRun = `the renderer includes \`${pulled}\` here, so the code on the page is not in the note; bind the block to the file with \`<!-- include ${pulled.replace(/\[ln:(\d+)-(\d+)\]$/, ' lines=$1-$2')} -->\` to check and run it`;
  }
  if (walk.noteSettings) applyNoteSettings(example, values, walk.noteSettings, walk.runMode ?? 'all');
  addItem(walk, example, example.id);
}

/** The file a renderer's include directive pulls into the block: markdown-include `{!path!}`, pymdownx snippets `--8<-- "path"`. */
function rendererInclude(code: string): string | undefined {
  const m = /^[ \t]*(?:\{!\s*(.+?)\s*!\}|-{2}8<-{2}[ \t]+["']?([^"'\s]+)["']?)[ \t]*$/m.exec(code);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Options that are fine one by one but not together, or whose value needs more than a type check. */
function checkOptionCombinations(walk: Walk, node: Code, values: ParsedOptions, runner: RunnerName | null, options: { key: string; offset: number }[]): boolean {
  const file = walk.note.file;
  const at = (key: string) => place(node, options.find((o) => o.key === key)?.offset ?? 0);
  let ok = true;
  if (values['match'] !== undefined && values['raises'] === undefined) {
    report(file, '`match=` checks the message of an expected exception; add `raises=ExceptionName`', at('match'), 'match-without-raises');
    ok = false;
  }
  if (values['isolate'] !== undefined && values['isolate'] !== 'process') {
    report(file, '`isolate` accepts only `isolate=process`', at('isolate'), 'invalid-option-value');
    ok = false;
  }
  // A Python example's `match=` is a Python pattern: the worker compiles it and searches with `re.search`
  // (a bad one fails the example at its line). JavaScript patterns are checked here, where they will run.
  if (typeof values['match'] === 'string' && (runner === 'js' || runner === 'ts')) {
    try {
      new RegExp(values['match']);
    } catch (error) {
      report(file, `\`match=\` is not a valid regular expression: ${(error as Error).message}`, at('match'), 'invalid-regex');
      ok = false;
    }
  }
  return ok;
}

/**
 * A fence whose first non-blank line is a prompt is a transcript, not a script: a Python fence
 * starting at `>>> ` is checked prompt by prompt as doctest (as Sybil and pytest-examples do), and
 * a shell fence starting at `$ ` is a terminal session, run as `console` (as a script its first
 * command would be `$`, which can only fail).
 */
function transcriptRunner<R>(runner: R, code: string): R | 'pycon' | 'console' {
  if (runner !== 'python' && runner !== 'sh') return runner;
  const first = code.split('\n').find((l) => l.trim() !== '')?.replace(/\r$/, '');
  if (first === undefined) return runner;
  if (runner === 'python') return /^\s*>>>(?: |$)/.test(first) ? 'pycon' : runner;
  return /^\$(?: |$)/.test(first) ? 'console' : runner;
}
