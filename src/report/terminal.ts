/**
 * The terminal summary: per note, its claim and example figures, its unbacked
 * sections and one line per failing item (`notes/x.md:12: what: reason`, the
 * place an editor jumps to); then the totals. Details (failure output,
 * evidence) are in the HTML page; this is the glance.
 */
import type { ClaimCounts, Counts, ExampleCounts, NoteReport, Report, TestCounts } from './schema.ts';

export function claimFigures(c: ClaimCounts): string {
  const parts = [`${c.verified} verified`, `${c.cited} cited`, `${c.failing} failing`, `${c.noEvidence} without evidence`];
  // Shown when there are any, so the figure stands out rather than reading "0 weak" everywhere.
  if (c.weak > 0) parts.splice(1, 0, `${c.weak} weak`);
  if (c.notRun > 0) parts.push(`${c.notRun} not run`);
  return parts.join(' · ');
}

export function exampleFigures(c: ExampleCounts): string {
  return [`${c.passed} passed`, `${c.failed} failed`, `${c.skipped} skipped`, `${c.notRun} not run`].join(' · ');
}

/** Links, table of contents, authoring problems and linked scripts. */
export function checkFigures(c: TestCounts): string {
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (c.skipped > 0) parts.push(`${c.skipped} skipped`);
  if (c.notRun > 0) parts.push(`${c.notRun} not run`);
  return parts.join(' · ');
}

export interface SummaryOptions {
  /** Files written, shown at the end. */
  written?: string[];
  /** Only the failures and the totals. */
  quiet?: boolean;
}

export function formatSummary(report: Report, options: SummaryOptions = {}): string {
  const lines: string[] = [];
  const python = report.python ? `Python ${report.python}` : 'no Python found';
  lines.push(`Knowledge base report: ${plural(report.notes.length, 'note')} (${python}${report.strict ? ', strict' : ''})`, '');
  for (const note of report.notes) {
    if (options.quiet) {
      lines.push(...failureLines(note, report.strict));
      continue;
    }
    lines.push(...formatNote(note), ...failureLines(note, report.strict), '');
  }
  if (options.quiet && lines[lines.length - 1] !== '') lines.push('');
  lines.push(...formatTotals(report.totals));
  // Run errors (no Python, a crash) explain everything else: print them whole.
  for (const error of report.errors) lines.push(`error: ${error}`);
  if (options.written?.length) lines.push('', `Written: ${options.written.join(', ')}`);
  lines.push(report.failed ? `Result: FAILED (${plural(report.totals.failures, 'failure')})` : 'Result: passed');
  return lines.join('\n');
}

function formatNote(note: NoteReport): string[] {
  const c = note.counts;
  const lines = [`${note.path} — ${note.title}`];
  lines.push(`  claims    ${c.claims.total === 0 ? 'none' : claimFigures(c.claims)}`);
  lines.push(`  examples  ${c.examples.total === 0 ? 'none' : exampleFigures(c.examples)}`);
  lines.push(`  checks    ${c.checks.total === 0 ? 'none' : checkFigures(c.checks)}`);
  lines.push(`  unbacked  ${note.unbackedSections.length === 0 ? 'none' : note.unbackedSections.map((s) => `${s.title} (line ${s.line})`).join(', ')}`);
  return lines;
}

/** One line per failing item, each at its own `file:line`, in the note's order: every broken link, not "1 failed". */
export function failureLines(note: NoteReport, strict: boolean): string[] {
  const found: { line: number; column: number; text: string }[] = [];
  const add = (line: number, column: number | undefined, what: string) =>
    found.push({ line, column: column ?? 0, text: `  ✗ ${note.path}:${line}${column !== undefined ? `:${column}` : ''}: ${what}` });
  for (const claim of note.claims) {
    const bad = claim.status === 'failing' || claim.status === 'no-evidence' || (strict && claim.status === 'cited') || claim.test === 'failed';
    const weak = claim.status === 'weak' ? claim.evidence.find((e) => e.weak) : undefined;
    if (weak) {
      found.push({ line: claim.line, column: 0, text: `  ${strict ? '✗' : '!'} ${note.path}:${claim.line}: claim ${claim.id} is weak: ${weak.kind === 'check' ? 'hidden check' : weak.kind} at line ${weak.line}: ${weak.weak} [claim-weak-evidence]` });
      continue;
    }
    if (!bad) continue;
    const what = claim.status === 'no-evidence' ? 'has no evidence' : claim.status === 'failing' ? 'is failing' : `is ${claim.status}`;
    const failedEvidence = claim.evidence.find((e) => e.status === 'failed');
    const reason = failedEvidence ? `${failedEvidence.kind === 'check' ? 'hidden check' : failedEvidence.kind} at line ${failedEvidence.line}: ${headline(failedEvidence.message ?? 'failed')}` : shorten(claim.text);
    add(claim.line, undefined, `claim ${claim.id} ${what}: ${reason}`);
  }
  for (const example of note.examples) {
    if (example.status === 'failed') add(example.line, undefined, `${example.lang} example failed: ${headline(example.message ?? 'failed')}`);
  }
  for (const other of note.other) {
    if (other.status !== 'failed') continue;
    const what = other.kind === 'problem' ? 'authoring problem' : other.name;
    if (other.problems?.length) for (const p of other.problems) add(p.line, p.column, `${what}: ${shorten(p.reason, 120)} [${p.ruleId}]`);
    else add(other.line, undefined, `${other.name}: ${headline(other.message ?? 'failed')}`);
  }
  const lines = found.sort((a, b) => a.line - b.line || a.column - b.column).map((f) => f.text);
  for (const error of note.errors) lines.push(`  ✗ ${note.path}: error while running the note: ${headline(error)}`);
  return lines;
}

function formatTotals(t: Counts): string[] {
  return [
    'Totals',
    `  claims    ${claimFigures(t.claims)}`,
    `  examples  ${exampleFigures(t.examples)}`,
    `  checks    ${checkFigures(t.checks)} (links, tables of contents, authoring problems, scripts)`,
    `  unbacked  ${plural(t.unbackedSections, 'section')}`,
    `  tests     ${t.tests.passed} passed · ${t.tests.failed} failed · ${t.tests.skipped} skipped · ${t.tests.notRun} not run`,
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The line that says what went wrong: a Python traceback's last line (the exception), an output
 * mismatch's first, a doctest's "Expected/Got" headline.
 */
function headline(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const first = lines[0] ?? text;
  if (/^Traceback \(most recent call last\)/.test(first)) return lastLine(text);
  return shorten(first, 120);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return shorten(lines[lines.length - 1] ?? text, 120);
}

function shorten(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
