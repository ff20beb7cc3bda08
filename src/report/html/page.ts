/**
 * The self-contained report page: the run's figures and an index of notes on
 * top, then every note rendered with its claims and examples marked. Built as
 * one hast tree and serialised once (hast.ts says why).
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { ClaimStatus, NoteReport, Report } from '../schema.ts';
import { claimFigures, exampleFigures } from '../terminal.ts';
import { CSS, SCRIPT, contentSecurityPolicy } from './assets.ts';
import { failureOutput } from './evidence.ts';
import { h, type Child } from './hast.ts';
import type { NoteAnchor } from './links.ts';
import { renderNote } from './render-note.ts';
import { CLAIM_LOOK, badgeText } from './status.ts';

export interface PageInput {
  report: Report;
  /** Markdown text of each note, by its path in the report. */
  texts: Map<string, string>;
  /** From the page's folder to the knowledge base root, with `/`. */
  pageToRoot: string;
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
          h('title', {}, ['Knowledge base report']),
          h('style', {}, [CSS]),
        ]),
        h('body', {}, [
          pageHeader(report),
          indexTable(report, anchors),
          h('main', {}, report.notes.map((note) => noteSection(note, anchors, input))),
          h('script', {}, [SCRIPT]),
        ]),
      ]),
    ],
  };
  return toHtml(tree);
}

function pageHeader(report: Report): Element {
  const looks = Object.entries(CLAIM_LOOK) as [ClaimStatus, (typeof CLAIM_LOOK)[ClaimStatus]][];
  return h('header', { className: ['page'] }, [
    h('h1', {}, ['Knowledge base report']),
    h('p', {}, [
      h('span', { className: [report.failed ? 'result-failed' : 'result-passed'], id: 'result' }, [report.failed ? 'Failed' : 'Passed']),
      ` · generated ${report.generatedAt} · ${report.python ? `Python ${report.python}` : 'no Python found'} · ${report.strict ? 'strict: cited-only claims fail' : 'not strict'}`,
    ]),
    h('ul', { className: ['legend'], ariaLabel: 'Claim statuses' }, looks.map(([status, look]) => h('li', {}, [h('span', { className: ['badge', `status-${status}`] }, [badgeText(look)])]))),
    h('p', {}, [
      h('button', { type: 'button', dataAction: 'expand-failures' }, ['Expand all failures']),
      ' ',
      h('button', { type: 'button', dataAction: 'collapse-failures' }, ['Collapse all']),
    ]),
    report.errors.length > 0 ? h('section', { className: ['run-errors'] }, [h('h2', {}, ['Errors outside any note']), ...report.errors.map(failureOutput)]) : null,
  ]);
}

const COLUMNS: [string, (n: NoteReport['counts']) => number][] = [
  ['verified', (c) => c.claims.verified],
  ['cited', (c) => c.claims.cited],
  ['failing', (c) => c.claims.failing],
  ['no evidence', (c) => c.claims.noEvidence],
  ['passed', (c) => c.examples.passed],
  ['failed', (c) => c.examples.failed],
  ['skipped', (c) => c.examples.skipped],
  ['not run', (c) => c.examples.notRun],
  ['unbacked sections', (c) => c.unbackedSections],
];

function indexTable(report: Report, anchors: Map<string, NoteAnchor>): Element {
  const row = (first: Child, counts: NoteReport['counts'], className: string[] = []) =>
    h('tr', { className }, [h('td', {}, [first]), ...COLUMNS.map(([, get]) => h('td', { className: ['num'] }, [String(get(counts))]))]);
  return h('nav', { className: ['index'], ariaLabel: 'Notes' }, [
    h('table', {}, [
      h('thead', {}, [
        h('tr', {}, [h('th', { rowSpan: 2 }, ['Note']), h('th', { colSpan: 4 }, ['Claims']), h('th', { colSpan: 4 }, ['Examples']), h('th', { rowSpan: 2 }, ['Unbacked sections'])]),
        h('tr', {}, COLUMNS.slice(0, 8).map(([label]) => h('th', {}, [label]))),
      ]),
      h('tbody', {}, [
        ...report.notes.map((note) => row(h('a', { href: `#${anchors.get(note.path)!.id}` }, [note.title]), note.counts)),
        row('Total', report.totals, ['totals']),
      ]),
    ]),
  ]);
}

function noteSection(note: NoteReport, anchors: Map<string, NoteAnchor>, input: PageInput): Element {
  const anchor = anchors.get(note.path)!;
  const text = input.texts.get(note.path);
  const body: ElementContent[] = text === undefined ? [h('p', { className: ['hint'] }, ['(note text unavailable)'])] : renderNote({ text, note, anchors, pageToRoot: input.pageToRoot });
  const failedOther = note.other.filter((o) => o.status === 'failed');
  return h('section', { className: ['note'], id: anchor.id, dataPath: note.path }, [
    h('div', { className: ['note-meta'] }, [
      h('p', {}, [h('code', {}, [note.path]), ' · ', `claims: ${claimFigures(note.counts.claims)} · examples: ${exampleFigures(note.counts.examples)}`]),
      note.unbackedSections.length > 0
        ? h('p', {}, ['Unbacked sections: ', ...note.unbackedSections.flatMap((s, i) => [i > 0 ? ', ' : '', `${s.title} (line ${s.line})`])])
        : null,
      failedOther.length + note.errors.length > 0
        ? h('ul', { className: ['note-problems'] }, [
            ...failedOther.map((o) => h('li', {}, [`${o.name} (line ${o.line})`, o.message ? failureOutput(o.message) : null])),
            ...note.errors.map((e) => h('li', {}, ['Error running this note', failureOutput(e)])),
          ])
        : null,
    ]),
    h('article', { className: ['note-body'] }, body),
  ]);
}
