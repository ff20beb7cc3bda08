/**
 * The self-contained report page: the run's figures on top, a sticky outline
 * of the notes and their failing items beside the content, then every note
 * rendered with its claims and examples marked. Built as one hast tree and
 * serialised once (hast.ts says why). Controls that need the script are
 * rendered `hidden` and revealed by it, so a page without JavaScript shows
 * no dead buttons.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { ClaimStatus, NoteReport, Report } from '../schema.ts';
import { checkFigures, claimFigures, exampleFigures, failureLines } from '../terminal.ts';
import { CSS, SCRIPT, contentSecurityPolicy } from './assets.ts';
import { failureOutput } from './evidence.ts';
import { h, type Child } from './hast.ts';
import { highlightCss, type Highlight } from './highlight.ts';
import type { NoteAnchor } from './links.ts';
import { outline } from './outline.ts';
import { renderNote } from './render-note.ts';
import { CLAIM_LOOK, badgeText } from './status.ts';

export interface PageInput {
  report: Report;
  /** Markdown text of each note, by its path in the report. */
  texts: Map<string, string>;
  /** From the page's folder to the knowledge base root, with `/`. */
  pageToRoot: string;
  highlight?: Highlight;
}

export function renderPage(input: PageInput): string {
  const { report } = input;
  const anchors = new Map<string, NoteAnchor>(report.notes.map((note, index) => [note.path, { id: `note-${index}`, prefix: `n${index}-` }]));
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', {}, [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { httpEquiv: ['Content-Security-Policy'], content: contentSecurityPolicy(SCRIPT) }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', {}, [`${report.failed ? '✗' : '✓'} Knowledge base report`]),
          h('style', {}, [CSS, input.highlight ? highlightCss() : '']),
        ]),
        h('body', {}, [
          toolbar(report),
          pageHeader(report),
          h('div', { className: ['layout'] }, [
            outline(report, anchors),
            h('div', { className: ['content'] }, [
              indexTable(report, anchors),
              h('main', {}, report.notes.map((note) => noteSection(note, anchors, input))),
            ]),
          ]),
          h('script', {}, [SCRIPT]),
        ]),
      ]),
    ],
  };
  return toHtml(tree);
}

/** Sticky controls; hidden until the script runs (they do nothing without it). */
function toolbar(report: Report): Element {
  return h('div', { className: ['toolbar'], hidden: true, dataNeedsScript: '' }, [
    h('label', {}, [h('input', { type: 'checkbox', id: 'failures-only', dataAction: 'failures-only' }), ` Failures only (${report.totals.failures})`]),
    h('button', { type: 'button', dataAction: 'expand-failures' }, ['Expand failures']),
    h('button', { type: 'button', dataAction: 'collapse-failures' }, ['Collapse all']),
    h('a', { href: '#outline', className: ['to-outline'] }, ['Outline']),
  ]);
}

/** The saved `kb mutate` result: figures, then each change the evidence did not catch. */
function mutationsSection(m: NonNullable<Report['mutations']>): Element {
  return h('section', { className: ['mutations'], id: 'mutations' }, [
    h('h2', {}, ['Mutations']),
    h('p', {}, [`kb mutate at ${m.generatedAt}: ${m.total} mutations, ${m.caught} caught, ${m.survivors.length} still pass${m.stale.length ? ` · changed since: ${m.stale.join(', ')}` : ''}`]),
    m.survivors.length > 0
      ? h('ul', { className: ['mutation-survivors'] }, m.survivors.map((s) => h('li', { dataStale: s.stale ? 'true' : undefined }, [h('code', {}, [`${s.path}:${s.line}`]), ` claim ${s.claim}: mutation ${s.what} still passes${s.stale ? ' (note changed since)' : ''}`])))
      : null,
  ]);
}

function pageHeader(report: Report): Element {
  const looks = Object.entries(CLAIM_LOOK) as [ClaimStatus, (typeof CLAIM_LOOK)[ClaimStatus]][];
  const failures = report.totals.failures;
  return h('header', { className: ['page'] }, [
    h('h1', {}, ['Knowledge base report']),
    h('p', {}, [
      h('span', { className: [report.failed ? 'result-failed' : 'result-passed'], id: 'result' }, [report.failed ? 'Failed' : 'Passed']),
      report.failed ? ` · ${failures} failure${failures === 1 ? '' : 's'}` : '',
      ` · generated ${report.generatedAt} · ${report.python ? `Python ${report.python}` : 'no Python found'} · ${report.strict ? 'strict: cited-only claims fail' : 'not strict'}`,
    ]),
    h('ul', { className: ['legend'], ariaLabel: 'Claim statuses' }, looks.map(([status, look]) => h('li', {}, [h('span', { className: ['badge', `status-${status}`] }, [badgeText(look)])]))),
    report.errors.length > 0 ? h('section', { className: ['run-errors'] }, [h('h2', {}, ['Errors outside any note']), ...report.errors.map(failureOutput)]) : null,
    report.mutations ? mutationsSection(report.mutations) : null,
  ]);
}

type Counts = NoteReport['counts'];

const COLUMNS: [string, (c: Counts) => number][] = [
  ['verified', (c) => c.claims.verified],
  ['weak', (c) => c.claims.weak],
  ['cited', (c) => c.claims.cited],
  ['failing', (c) => c.claims.failing],
  ['no evidence', (c) => c.claims.noEvidence],
  ['passed', (c) => c.examples.passed],
  ['failed', (c) => c.examples.failed],
  ['skipped', (c) => c.examples.skipped],
  ['not run', (c) => c.examples.notRun],
  ['passed', (c) => c.checks.passed],
  ['failed', (c) => c.checks.failed],
];

/** Every note with its figures; the result column says in words whether anything of it failed. */
function indexTable(report: Report, anchors: Map<string, NoteAnchor>): Element {
  const failingColumn = new Set(['failing', 'no evidence', 'failed']);
  const cell = (value: number, failing: boolean) => h('td', { className: ['num', ...(failing && value > 0 ? ['bad'] : [])] }, [String(value)]);
  const row = (first: Child, counts: Counts, failed: boolean, className: string[] = []) =>
    h('tr', { className: [...className, failed ? 'failed' : 'passed'], dataFailed: failed ? '' : undefined }, [
      h('td', {}, [first]),
      h('td', { className: ['result'] }, [failed ? h('span', { className: ['badge', 'status-failed'] }, [`✗ ${counts.failures} failed`]) : h('span', { className: ['badge', 'status-passed'] }, ['✓ passed'])]),
      ...COLUMNS.map(([label, get]) => cell(get(counts), failingColumn.has(label))),
      h('td', { className: ['num'] }, [String(counts.unbackedSections)]),
    ]);
  return h('div', { className: ['table-scroll'], role: 'region', ariaLabel: 'Figures per note', tabIndex: 0 }, [
    h('table', { className: ['index'] }, [
      h('thead', {}, [
        h('tr', {}, [
          h('th', { rowSpan: 2 }, ['Note']),
          h('th', { rowSpan: 2 }, ['Result']),
          h('th', { colSpan: 4 }, ['Claims']),
          h('th', { colSpan: 4 }, ['Examples']),
          h('th', { colSpan: 2, title: 'links, table of contents, authoring problems, linked scripts' }, ['Checks']),
          h('th', { rowSpan: 2 }, ['Unbacked sections']),
        ]),
        h('tr', {}, COLUMNS.map(([label]) => h('th', {}, [label]))),
      ]),
      h('tbody', {}, [
        ...report.notes.map((note) => row(h('a', { href: `#${anchors.get(note.path)!.id}` }, [note.title]), note.counts, note.failed)),
        row('Total', report.totals, report.failed, ['totals']),
      ]),
    ]),
  ]);
}

function noteSection(note: NoteReport, anchors: Map<string, NoteAnchor>, input: PageInput): Element {
  const anchor = anchors.get(note.path)!;
  const text = input.texts.get(note.path);
  const body: ElementContent[] =
    text === undefined ? [h('p', { className: ['hint'] }, ['(note text unavailable)'])] : renderNote({ text, note, anchors, pageToRoot: input.pageToRoot, highlight: input.highlight });
  const c = note.counts;
  return h('section', { className: ['note', note.failed ? 'failed' : 'passed'], id: anchor.id, dataPath: note.path, dataFailed: note.failed ? '' : undefined }, [
    h('div', { className: ['note-meta'] }, [
      h('p', {}, [
        note.failed ? h('span', { className: ['badge', 'status-failed'] }, [`✗ ${c.failures} failed`]) : h('span', { className: ['badge', 'status-passed'] }, ['✓ passed']),
        ' ',
        h('code', {}, [note.path]),
        ` · claims: ${c.claims.total === 0 ? 'none' : claimFigures(c.claims)} · examples: ${c.examples.total === 0 ? 'none' : exampleFigures(c.examples)} · checks: ${checkFigures(c.checks)}`,
      ]),
      note.unbackedSections.length > 0
        ? h('p', {}, ['Unbacked sections: ', ...note.unbackedSections.flatMap((s, i) => [i > 0 ? ', ' : '', `${s.title} (line ${s.line})`])])
        : null,
      noteProblems(note, anchor),
      // The terminal's one-line failures, for a reader who pastes file:line into an editor.
      note.failed ? h('details', { className: ['failure-lines'] }, [h('summary', {}, ['Failures as text']), h('pre', {}, [failureLines(note, input.report.strict).map((l) => l.trim()).join('\n')])]) : null,
    ]),
    h('article', { className: ['note-body'] }, body),
  ]);
}

/** Failed checks (each broken link, each wrong TOC entry, an authoring problem) and errors of the note. */
function noteProblems(note: NoteReport, anchor: NoteAnchor): Element | null {
  const failedOther = note.other.filter((o) => o.status === 'failed');
  if (failedOther.length + note.errors.length === 0) return null;
  return h('ul', { className: ['note-problems'] }, [
    ...failedOther.map((o, i) =>
      h('li', { id: `${anchor.prefix}check-${i}`, className: ['failed-item'] }, [
        h('strong', {}, [o.kind === 'problem' ? 'Authoring problem' : o.name]),
        o.problems?.length
          ? h('ul', {}, o.problems.map((p) => h('li', {}, [h('code', {}, [`${note.path}:${p.line}:${p.column}`]), ` ${p.reason} `, h('span', { className: ['rule'] }, [`[${p.ruleId}]`])])))
          : o.message
            ? failureOutput(o.message)
            : null,
        // A stale table of contents also has a diff: the whole output stays one click away.
        o.problems?.length && o.message ? h('details', { className: ['example-output', 'status-failed'] }, [h('summary', {}, ['Full output']), failureOutput(o.message)]) : null,
      ]),
    ),
    ...note.errors.map((e, i) => h('li', { id: `${anchor.prefix}error-${i}`, className: ['failed-item'] }, [h('strong', {}, ['Error running this note']), failureOutput(e)])),
  ]);
}
