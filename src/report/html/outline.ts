/**
 * The page's outline: every note with its result, and under a failing note
 * each failing item (claim, example, check, error) linked to where it sits on
 * the page. Plain links, so it works without the script; the script's
 * "failures only" filter hides the passing notes here too.
 */
import type { Element } from 'hast';
import type { NoteReport, Report } from '../schema.ts';
import { h } from './hast.ts';
import type { NoteAnchor } from './links.ts';

interface FailingItem {
  href: string;
  line: number;
  label: string;
}

export function outline(report: Report, anchors: Map<string, NoteAnchor>): Element {
  return h('nav', { className: ['outline'], id: 'outline', ariaLabel: 'Outline' }, [
    h('p', { className: ['outline-title'] }, [`Notes (${report.notes.length})`, report.failed ? ` · ${report.notes.filter((n) => n.failed).length} failing` : '']),
    h(
      'ul',
      {},
      report.notes.map((note) => {
        const anchor = anchors.get(note.path)!;
        const items = failingItems(note, anchor, report.strict);
        return h('li', { className: ['outline-note', note.failed ? 'failed' : 'passed'], dataFailed: note.failed ? '' : undefined }, [
          h('a', { href: `#${anchor.id}`, title: note.path }, [h('span', { className: ['mark'], ariaHidden: 'true' }, [note.failed ? '✗ ' : '✓ ']), note.title]),
          items.length > 0 ? h('ul', { className: ['outline-failures'] }, items.map((i) => h('li', {}, [h('a', { href: i.href }, [h('span', { className: ['line'] }, [`${i.line}`]), ` ${i.label}`])]))) : null,
        ]);
      }),
    ),
  ]);
}

function failingItems(note: NoteReport, anchor: NoteAnchor, strict: boolean): FailingItem[] {
  const items: FailingItem[] = [];
  for (const claim of note.claims) {
    if (claim.test === 'failed' || claim.status === 'failing' || claim.status === 'no-evidence' || (strict && claim.status === 'cited')) {
      items.push({ href: `#${anchor.prefix}claim-${claim.id}`, line: claim.line, label: `claim ${claim.id}: ${claim.status === 'no-evidence' ? 'no evidence' : claim.status}` });
    }
  }
  for (const example of note.examples) {
    if (example.status === 'failed') items.push({ href: `#${anchor.prefix}${example.id}`, line: example.line, label: `${example.lang} example failed` });
  }
  note.other
    .filter((o) => o.status === 'failed')
    .forEach((o, i) => {
      const label = o.kind === 'problem' ? 'authoring problem' : o.problems?.length ? `${o.name}: ${o.problems.length} problem${o.problems.length === 1 ? '' : 's'}` : o.name;
      items.push({ href: `#${anchor.prefix}check-${i}`, line: o.problems?.[0]?.line ?? o.line, label });
    });
  note.errors.forEach((_, i) => items.push({ href: `#${anchor.prefix}error-${i}`, line: 1, label: 'error running the note' }));
  return items.sort((a, b) => a.line - b.line);
}
