/**
 * extract: one parsed note → its plan (examples, claims, sections, problems).
 * Pure: reads nothing but the note; file-system checks happen when the plan runs.
 */
import path from 'node:path';
import type { Code, Html, Nodes, Parent, Root, RootContent, Yaml } from 'mdast';
import { distance } from 'fastest-levenshtein';
import { LIMIT_OPTIONS, parseSize } from '../run/sandbox/limits.ts';
import { parse as parseYaml } from 'yaml';
import { report, toPlain, type Place } from '../diagnostics.ts';
import type { Note } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';
import { parseAnnotation, type Annotation } from './annotations.ts';
import { tokenizeOptions } from './info-string.ts';
import { RUNNER_LANGUAGES, runnerFor } from './languages.ts';
import { DEFAULT_TIMEOUT_MS, EXAMPLE_OPTIONS, OUTPUT_OPTIONS, matchModes, validateOptions, type ParsedOptions } from './options.ts';
import { claimTextAfter, claimTextOfBlock } from './claim-text.ts';
import { hiddenCheck } from './check-annotation.ts';
import { fenceBody, fenceMetaColumn, isTerminated } from './fences.ts';
import { parseInclude } from './include-annotation.ts';
import { linkedScripts } from './linked-scripts.ts';
import type { CheckPlan, ClaimPlan, CodePart, ExamplePlan, ExpectedOutput, IncludePlan, NotePlan, PlanItem, SectionPlan } from './types.ts';

const CLAIM_ID = /^[A-Za-z_][\w.-]*$/;

interface ScopedCode extends CodePart {
  /** Index of the heading whose section it belongs to; -1 = the whole note. */
  section: number;
  kind: 'setup' | 'teardown';
}

interface Walk {
  note: Note;
  source: string;
  headingStack: { depth: number; title: string; index: number }[];
  headingCount: number;
  items: PlanItem[];
  sections: SectionPlan[];
  scoped: ScopedCode[];
  claims: Map<string, ClaimPlan>;
  pendingChecks: { id: string; check: CheckPlan; line: number; column: number }[];
  pendingInclude?: { include: IncludePlan; node: Html };
  /** Section ancestry (heading indexes) of every example, to apply setup later. */
  ancestry: Map<ExamplePlan | ClaimPlan, number[]>;
  title: string;
  skipTitleDepth: number | null;
}

export interface ExtractOptions {
  /** Repository root, to resolve includes and linked scripts. */
  root: string;
}

export function extractPlan(note: Note, options: ExtractOptions): NotePlan {
  const source = note.text.charCodeAt(0) === 0xfeff ? note.text.slice(1) : note.text;
  const firstHeading = note.tree.children.find((n) => n.type === 'heading');
  const walk: Walk = {
    note,
    source,
    headingStack: [],
    headingCount: 0,
    items: [],
    sections: [],
    scoped: [],
    claims: new Map(),
    pendingChecks: [],
    ancestry: new Map(),
    title: firstHeading ? headingText(firstHeading) : path.basename(note.relPath, '.md'),
    // The note's own title (a lone depth-1 heading) is left out of test names: every case has it.
    skipTitleDepth: firstHeading && firstHeading.type === 'heading' && firstHeading.depth === 1 ? 1 : null,
  };
  const hashSeed = frontMatterHashSeed(note);
  const sandbox = frontMatterSandbox(note);
  walkChildren(walk, note.tree, options);
  finish(walk, options);
  for (const m of note.file.messages) {
    if (m.fatal) walk.items.push({ kind: 'problem', line: m.line ?? 1, column: m.column ?? 1, diagnostic: toPlain(m, note.relPath) });
  }
  walk.items.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    path: note.relPath,
    title: walk.title,
    hashSeed,
    ...(sandbox ? { sandbox } : {}),
    items: walk.items,
    sections: walk.sections,
    diagnostics: note.file.messages.map((m) => toPlain(m, note.relPath)),
  };
}

function frontMatterHashSeed(note: Note): string {
  const yaml = note.tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (!yaml) return '0';
  try {
    const data = parseYaml(yaml.value) as Record<string, unknown> | null;
    const seed = data?.['hashseed'];
    if (seed === undefined) return '0';
    if ((typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) || seed === 'random') return String(seed);
    report(note.file, '`hashseed` in front matter must be a non-negative integer or `random`', yaml.position?.start, 'front-matter');
  } catch (error) {
    report(note.file, `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`, yaml.position?.start, 'front-matter');
  }
  return '0';
}

/** `network: true` and the limits (`memory: 2G`, `processes: 512`, `filesize: 1G`, `disk: 2G`) of a note's front matter. */
function frontMatterSandbox(note: Note): NotePlan['sandbox'] {
  const yaml = note.tree.children.find((n): n is Yaml => n.type === 'yaml');
  if (!yaml) return undefined;
  let data: Record<string, unknown> | null;
  try {
    data = parseYaml(yaml.value) as Record<string, unknown> | null;
  } catch {
    return undefined; // reported by frontMatterHashSeed
  }
  if (!data || typeof data !== 'object') return undefined;
  const values: Record<string, unknown> = {};
  const network = data['network'];
  if (network !== undefined) {
    if (typeof network === 'boolean') values['network'] = network;
    else report(note.file, '`network` in front matter must be `true` or `false`', yaml.position?.start, 'front-matter');
  }
  for (const option of Object.keys(LIMIT_OPTIONS)) {
    const raw = data[option];
    if (raw === undefined) continue;
    const size = parseSize(String(raw));
    if (size === undefined) report(note.file, `\`${option}\` in front matter needs a size such as \`512M\` or \`2G\``, yaml.position?.start, 'front-matter');
    else values[option] = size;
  }
  const options = sandboxOptions(values);
  if (values['network'] === false) options.network = false;
  return Object.keys(options).length > 0 ? options : undefined;
}

function headingPath(walk: Walk): string[] {
  return walk.headingStack.filter((h) => h.depth !== walk.skipTitleDepth || h.index !== 0).map((h) => h.title);
}

function walkChildren(walk: Walk, parent: Parent, options: ExtractOptions): void {
  const children = parent.children as RootContent[];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (walk.pendingInclude && node.type !== 'code') {
      const { node: html } = walk.pendingInclude;
      report(walk.note.file, 'an `include` annotation must be followed directly by the fenced block it binds; move it right above the fence', html.position?.start, 'include-without-fence');
      walk.pendingInclude = undefined;
    }
    switch (node.type) {
      case 'heading': {
        const title = headingText(node);
        while (walk.headingStack.length > 0 && walk.headingStack[walk.headingStack.length - 1]!.depth >= node.depth) walk.headingStack.pop();
        walk.headingStack.push({ depth: node.depth, title, index: walk.headingCount++ });
        walk.sections.push({ title, depth: node.depth, headingPath: headingPath(walk), line: node.position!.start.line, column: node.position!.start.column, items: [] });
        break;
      }
      case 'code':
        onCode(walk, node, children, i, options);
        break;
      case 'html':
        onHtml(walk, node, parent, i, options);
        break;
      case 'paragraph':
        for (let j = 0; j < node.children.length; j++) {
          const inline = node.children[j]!;
          if (inline.type === 'html') onInlineHtml(walk, inline, node, j);
        }
        break;
      default:
        if ('children' in node) walkChildren(walk, node as Parent, options);
    }
  }
}

function place(node: Nodes | undefined, offset = 0): Place {
  const start = node?.position?.start;
  if (!start) return undefined;
  return { line: start.line, column: start.column + offset };
}

function onCode(walk: Walk, node: Code, siblings: RootContent[], index: number, options: ExtractOptions): void {
  const file = walk.note.file;
  const lang = node.lang ?? '';
  if (!isTerminated(walk.source, node)) {
    report(file, 'this fence is never closed, so the rest of the note is read as code; close it with a line of the same fence characters', place(node), 'unterminated-fence');
    walk.pendingInclude = undefined;
    return;
  }
  if (lang === 'output') {
    const previous = previousNonOutput(siblings, index);
    if (!previous || previous.type !== 'code' || (runnerFor(previous.lang ?? '') === 'not-executable')) {
      report(file, 'this `output` block follows no example; put it right after the fenced example whose output it shows', place(node), 'orphan-output');
    }
    return; // attached to its example by onCode of the example
  }
  const runner = runnerFor(lang);
  const include = walk.pendingInclude?.include;
  walk.pendingInclude = undefined;
  if (runner === 'not-executable' && !include) return;
  const raw = tokenizeOptions(node.meta ?? '');
  const metaColumn = fenceMetaColumn(walk.source, node);
  if (raw.error) {
    report(file, `malformed info string: ${raw.error.message}`, place(node, metaColumn + raw.error.offset), 'malformed-info-string');
    return;
  }
  if (runner === null) {
    const close = RUNNER_LANGUAGES.find((known) => distance(known, lang.toLowerCase()) <= (known.length > 3 ? 2 : 1));
    if (close) {
      report(file, `unknown language \`${lang}\`; did you mean \`${close}\`? (known runners: ${RUNNER_LANGUAGES.join(', ')})`, place(node, 3), 'unknown-language');
      return;
    }
  }
  const effectiveRunner = runner === 'not-executable' ? null : runner;
  const { values, errors } = validateOptions(raw.options, EXAMPLE_OPTIONS, effectiveRunner, `a \`${lang || 'plain'}\` example`);
  for (const e of errors) report(file, e.message, place(node, metaColumn + e.offset), 'unknown-option');
  if (errors.length > 0) return;
  checkOptionCombinations(walk, node, values, metaColumn);
  const { bodyStart, bodyEnd } = fenceBody(walk.source, node);
  const example: ExamplePlan = {
    kind: 'example',
    id: `example-${node.position!.start.line}`,
    lang,
    runner: runner === 'not-executable' ? null : runner,
    code: node.value,
    codeLine: node.position!.start.line + 1,
    line: node.position!.start.line,
    column: node.position!.start.column,
    options: {
      name: values['name'] as string | undefined,
      skip: values['skip'] as string | true | undefined,
      timeoutMs: values['timeout'] !== undefined ? Math.round((values['timeout'] as number) * 1000) : DEFAULT_TIMEOUT_MS,
      claims: (values['claim'] as string[] | undefined) ?? [],
      session: values['session'] as string | undefined,
      isolate: values['isolate'] as 'process' | undefined,
      requires: (values['requires'] as string[] | undefined) ?? [],
      raises: values['raises'] as string | undefined,
      match: values['match'] as string | undefined,
      modes: matchModes(values),
      exit: values['exit'] as number | undefined,
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
  if (runner === 'not-executable') {
    // An include on a data block (json, text): the block is checked against the file, nothing runs.
    example.runner = null;
    example.lang = `${lang || 'text'}`;
  }
  walk.ancestry.set(example, walk.headingStack.map((h) => h.index));
  walk.items.push(example);
  walk.sections[walk.sections.length - 1]?.items.push(example.id);
}

function checkOptionCombinations(walk: Walk, node: Code, values: ParsedOptions, metaColumn: number): void {
  const file = walk.note.file;
  if (values['match'] !== undefined && values['raises'] === undefined) {
    report(file, '`match=` checks the message of an expected exception; add `raises=ExceptionName`', place(node, metaColumn), 'unknown-option');
  }
  if (values['isolate'] !== undefined && values['isolate'] !== 'process') {
    report(file, '`isolate` accepts only `isolate=process`', place(node, metaColumn), 'unknown-option');
  }
  if (typeof values['match'] === 'string') {
    try {
      new RegExp(values['match']);
    } catch (error) {
      report(file, `\`match=\` is not a valid regular expression: ${(error as Error).message}`, place(node, metaColumn), 'unknown-option');
    }
  }
}

function previousNonOutput(siblings: RootContent[], index: number): RootContent | undefined {
  for (let j = index - 1; j >= 0; j--) {
    const s = siblings[j]!;
    if (s.type === 'code' && s.lang === 'output') continue;
    return s;
  }
  return undefined;
}

function collectOutputs(walk: Walk, siblings: RootContent[], index: number): ExpectedOutput[] {
  const outputs: ExpectedOutput[] = [];
  for (let j = index + 1; j < siblings.length; j++) {
    const s = siblings[j]!;
    if (s.type !== 'code' || s.lang !== 'output') break;
    if (!isTerminated(walk.source, s)) break;
    const raw = tokenizeOptions(s.meta ?? '');
    const metaColumn = fenceMetaColumn(walk.source, s);
    if (raw.error) {
      report(walk.note.file, `malformed info string: ${raw.error.message}`, place(s, metaColumn + raw.error.offset), 'malformed-info-string');
      continue;
    }
    const { values, errors } = validateOptions(raw.options, OUTPUT_OPTIONS, null, 'an `output` block');
    for (const e of errors) report(walk.note.file, e.message, place(s, metaColumn + e.offset), 'unknown-option');
    const { bodyStart, bodyEnd } = fenceBody(walk.source, s);
    outputs.push({
      text: s.value,
      line: s.position!.start.line,
      column: s.position!.start.column,
      bodyStart,
      bodyEnd,
      modes: matchModes(values),
      requires: (values['requires'] as string[] | undefined) ?? [],
    });
  }
  return outputs;
}

/** The annotation in an HTML node; a malformed one is reported, an ordinary comment is `undefined`. */
function annotationOf(walk: Walk, node: Html): Annotation | undefined {
  const parsed = parseAnnotation(node.value);
  if (parsed?.error) report(walk.note.file, parsed.error.message, place(node, parsed.error.offset), 'malformed-annotation');
  return parsed?.annotation;
}

function onHtml(walk: Walk, node: Html, parent: Parent, index: number, options: ExtractOptions): void {
  const a = annotationOf(walk, node);
  if (!a) return;
  const file = walk.note.file;
  const line = node.position!.start.line;
  const column = node.position!.start.column;
  const bodyLine = line + a.bodyLineOffset;
  switch (a.kind) {
    case 'setup':
    case 'teardown': {
      if (!a.body) {
        report(file, `\`${a.kind}\` needs code: put it on the lines after \`<!-- ${a.kind}\` and close with \`-->\``, place(node), 'malformed-annotation');
        return;
      }
      rejectOptions(walk, node, a, []);
      const section = walk.headingStack.length > 0 ? walk.headingStack[walk.headingStack.length - 1]!.index : -1;
      walk.scoped.push({ kind: a.kind, code: a.body, firstLine: bodyLine, section });
      return;
    }
    case 'include': {
      if (!a.argument) {
        report(file, '`include` needs a path: `<!-- include path/to/file.py -->` (optionally `lines=10-20` or `region=NAME`)', place(node), 'malformed-annotation');
        return;
      }
      const include = parseInclude(walk.note, node, a, options.root);
      if (include) walk.pendingInclude = { include, node };
      return;
    }
    case 'check': {
      const check = hiddenCheck(walk.note.file, node, a, bodyLine, true);
      if (check && a.argument) walk.pendingChecks.push({ id: a.argument, check, line, column });
      return;
    }
    case 'claim': {
      const text = claimTextOfBlock(parent, index);
      addClaim(walk, node, a, text, bodyLine);
      return;
    }
  }
}

function onInlineHtml(walk: Walk, node: Html, paragraph: Parent, index: number): void {
  const a = annotationOf(walk, node);
  if (!a) return;
  const file = walk.note.file;
  if (a.kind !== 'claim') {
    report(file, `a \`${a.kind}\` annotation must stand on its own lines, not inside a paragraph; put a blank line before it`, place(node), 'malformed-annotation');
    return;
  }
  if (a.body) {
    report(file, 'hidden check code cannot sit inside a paragraph (its indentation would be lost); put it in a `<!-- check ID ... -->` block on its own lines', place(node), 'malformed-annotation');
    return;
  }
  addClaim(walk, node, a, claimTextAfter(paragraph, index), node.position!.start.line + 1);
}

const CLAIM_OPTIONS = new Set(['cite', 'timeout', 'raises', 'match', 'session']);

function addClaim(walk: Walk, node: Html, a: Annotation, text: string, bodyLine: number): void {
  const file = walk.note.file;
  const id = a.argument;
  if (!id || !CLAIM_ID.test(id)) {
    report(file, '`claim` needs an id: `<!-- claim my-claim-id -->` (letters, digits, `_`, `-`, `.`; starting with a letter)', place(node), 'malformed-annotation');
    return;
  }
  if (walk.claims.has(id)) {
    const first = walk.claims.get(id)!;
    report(file, `duplicate claim id \`${id}\` (first used at line ${first.line}); give each claim its own id`, place(node), 'duplicate-claim');
    return;
  }
  if (text.trim() === '') {
    report(file, `claim \`${id}\` annotates no text; put the annotation right after the sentence, paragraph or list item it makes true`, place(node), 'empty-claim');
    return;
  }
  const cites: string[] = [];
  for (const o of a.options) {
    if (o.key === 'cite') {
      if (o.value === true || !/^https?:\/\/\S+$/.test(o.value)) {
        report(file, '`cite=` needs an http(s) URL, e.g. `cite=https://docs.python.org/3/library/asyncio-task.html`', place(node, 0), 'malformed-annotation');
        return;
      }
      cites.push(o.value);
    } else if (!CLAIM_OPTIONS.has(o.key)) {
      report(file, `unknown option \`${o.key}\` on a claim; known options: ${[...CLAIM_OPTIONS].map((k) => `\`${k}\``).join(', ')}`, { line: node.position!.start.line, column: node.position!.start.column + o.offset }, 'unknown-option');
      return;
    }
  }
  const claim: ClaimPlan = {
    kind: 'claim',
    id,
    text: text.trim(),
    cites,
    checks: [],
    examples: [],
    headingPath: headingPath(walk),
    line: node.position!.start.line,
    column: node.position!.start.column,
    setup: [],
    teardown: [],
  };
  if (a.body) {
    const check = hiddenCheck(walk.note.file, node, a, bodyLine, false);
    if (check) claim.checks.push(check);
  }
  walk.claims.set(id, claim);
  walk.ancestry.set(claim, walk.headingStack.map((h) => h.index));
  walk.items.push(claim);
  walk.sections[walk.sections.length - 1]?.items.push(`claim-${id}`);
}

function rejectOptions(walk: Walk, node: Html, a: Annotation, allowed: string[]): void {
  for (const o of a.options) {
    if (!allowed.includes(o.key)) {
      report(walk.note.file, `unknown option \`${o.key}\` on \`${a.kind}\`${allowed.length ? `; known options: ${allowed.join(', ')}` : '; it takes none'}`, { line: node.position!.start.line, column: node.position!.start.column + o.offset }, 'unknown-option');
    }
  }
}

/** Attach checks and examples to claims, apply setup/teardown, report dangling references, add linked scripts. */
function finish(walk: Walk, options: ExtractOptions): void {
  const file = walk.note.file;
  for (const { id, check, line, column } of walk.pendingChecks) {
    const claim = walk.claims.get(id);
    if (!claim) report(file, unknownClaimMessage(walk, id, 'this check'), { line, column }, 'unknown-claim');
    else claim.checks.push(check);
  }
  for (const item of walk.items) {
    if (item.kind !== 'example') continue;
    for (const id of item.options.claims) {
      const claim = walk.claims.get(id);
      if (!claim) report(file, unknownClaimMessage(walk, id, `the example at line ${item.line}`), { line: item.line, column: item.column }, 'unknown-claim');
      else claim.examples.push(item.id);
    }
  }
  for (const [target, ancestry] of walk.ancestry) {
    const applies = (s: ScopedCode) => s.section === -1 || ancestry.includes(s.section);
    target.setup = walk.scoped.filter((s) => s.kind === 'setup' && applies(s)).map(({ code, firstLine }) => ({ code, firstLine }));
    target.teardown = walk.scoped.filter((s) => s.kind === 'teardown' && applies(s)).map(({ code, firstLine }) => ({ code, firstLine }));
  }
  walk.items.push(...linkedScripts(walk.note, options.root));
}

function unknownClaimMessage(walk: Walk, id: string, who: string): string {
  const ids = [...walk.claims.keys()];
  const close = ids.filter((k) => distance(k, id) <= 3).sort((a, b) => distance(a, id) - distance(b, id))[0];
  return `${who} names claim \`${id}\`, but no \`<!-- claim ${id} -->\` is in this note${close ? `; did you mean \`${close}\`?` : ''}`;
}

export type { Root };

/** `network` and the limits of an example's info string. */
function sandboxOptions(values: Record<string, unknown>): Pick<ExamplePlan['options'], 'network' | 'limits'> {
  const limits: NonNullable<ExamplePlan['options']['limits']> = {};
  for (const [option, key] of Object.entries(LIMIT_OPTIONS)) if (typeof values[option] === 'number') limits[key as keyof typeof limits] = values[option] as number;
  return { ...(values['network'] === true ? { network: true } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}
