/**
 * The terminal summary: per note, its claim and example figures, its unbacked
 * sections and one line per failure; then the totals. Details (failure output,
 * evidence) are in the HTML page; this is the glance.
 */
import type { ClaimCounts, Counts, ExampleCounts, NoteReport, Report } from './schema.ts';

export function claimFigures(c: ClaimCounts): string {
  const parts = [`${c.verified} verified`, `${c.cited} cited`, `${c.failing} failing`, `${c.noEvidence} without evidence`];
  if (c.notRun > 0) parts.push(`${c.notRun} not run`);
  return parts.join(' · ');
}

export function exampleFigures(c: ExampleCounts): string {
  return [`${c.passed} passed`, `${c.failed} failed`, `${c.skipped} skipped`, `${c.notRun} not run`].join(' · ');
}

export function formatSummary(report: Report, written: string[] = []): string {
  const lines: string[] = [];
  const python = report.python ? `Python ${report.python}` : 'no Python found';
  lines.push(`Knowledge base report: ${plural(report.notes.length, 'note')} (${python}${report.strict ? ', strict' : ''})`, '');
  for (const note of report.notes) lines.push(...formatNote(note, report.strict), '');
  lines.push(...formatTotals(report.totals));
  // Run errors (no Python, a crash) explain everything else: print them whole.
  for (const error of report.errors) lines.push(`error: ${error}`);
  if (written.length > 0) lines.push('', `Written: ${written.join(', ')}`);
  lines.push(report.failed ? 'Result: FAILED' : 'Result: passed');
  return lines.join('\n');
}

function formatNote(note: NoteReport, strict: boolean): string[] {
  const c = note.counts;
  const lines = [`${note.path} — ${note.title}`];
  lines.push(`  claims    ${c.claims.total === 0 ? 'none' : claimFigures(c.claims)}`);
  lines.push(`  examples  ${c.examples.total === 0 ? 'none' : exampleFigures(c.examples)}`);
  lines.push(`  unbacked  ${note.unbackedSections.length === 0 ? 'none' : note.unbackedSections.map((s) => `${s.title} (line ${s.line})`).join(', ')}`);
  for (const claim of note.claims) {
    const bad = claim.status === 'failing' || claim.status === 'no-evidence' || (strict && claim.status === 'cited');
    if (bad) lines.push(`  ✗ claim ${claim.id} (line ${claim.line}) ${claim.status === 'no-evidence' ? 'has no evidence' : claim.status}: ${shorten(claim.text)}`);
  }
  for (const example of note.examples) {
    if (example.status === 'failed') lines.push(`  ✗ example at line ${example.line}: ${firstLine(example.message ?? 'failed')}`);
  }
  for (const other of note.other) {
    if (other.status === 'failed') lines.push(`  ✗ ${other.name} (line ${other.line}): ${firstLine(other.message ?? 'failed')}`);
  }
  for (const error of note.errors) lines.push(`  ✗ error: ${firstLine(error)}`);
  return lines;
}

function formatTotals(t: Counts): string[] {
  return [
    'Totals',
    `  claims    ${claimFigures(t.claims)}`,
    `  examples  ${exampleFigures(t.examples)}`,
    `  unbacked  ${plural(t.unbackedSections, 'section')}`,
    `  tests     ${t.tests.passed} passed · ${t.tests.failed} failed · ${t.tests.skipped} skipped · ${t.tests.notRun} not run`,
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function firstLine(text: string): string {
  return shorten(text.split('\n').find((l) => l.trim() !== '') ?? text, 120);
}

function shorten(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
