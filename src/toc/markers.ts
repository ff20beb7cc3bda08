/**
 * Comment marker pairs such as `<!-- toc -->` … `<!-- tocstop -->` (this
 * project's and markdown-toc's), `<!-- START doctoc ... -->` … `<!-- END
 * doctoc ... -->`, or
 * `<!-- index -->` … `<!-- indexstop -->`. A lone `<!-- toc -->` (no
 * `<!-- tocstop -->` anywhere) is markdown-toc's insertion point: the TOC and
 * its `<!-- tocstop -->` are written after it. Markers are HTML comment blocks at
 * the top level of the document; a marker inside a list, a blockquote or a
 * paragraph is reported as unsupported. Comments inside code blocks are code,
 * so they are never markers.
 */
import type { Html, Root } from 'mdast';
import type { Point } from 'unist';
import type { RuleId } from '../diagnostics/index.ts';
import { walk } from './walk.ts';

export interface MarkerSpec {
  /** Matches a start marker; group 1 is the option text after the name. */
  start: RegExp;
  end: RegExp;
  /** Shown in messages, e.g. `<!-- toc -->`. */
  startLabel: string;
  endLabel: string;
  /** Rule id prefix, e.g. `toc` → `toc-marker-unclosed`. */
  rulePrefix: 'toc' | 'index';
  /**
   * A start marker alone (no end marker anywhere) is where the generated part goes, the end
   * marker written after it: markdown-toc's convention for `<!-- toc -->`.
   */
  loneStart?: boolean;
}

export interface MarkerPair {
  start: Html;
  end: Html;
  /** Indices of the markers in `tree.children`. */
  startIndex: number;
  endIndex: number;
  /** Option text after the marker name, e.g. ` max-depth=3 `. */
  rest: string;
  /** Where `rest` starts in the file. */
  restPoint: Point;
  /** A lone start marker (`loneStart`): `end` is the start marker itself; the end marker is to be written. */
  open?: boolean;
}

export interface Problem {
  reason: string;
  place: Point | undefined;
  ruleId: RuleId;
}

export interface MarkerScan {
  pairs: MarkerPair[];
  problems: Problem[];
  /** True when any start or end marker was seen, well-formed or not. */
  seen: boolean;
}

export const TOC_MARKERS: MarkerSpec = {
  start: /^<!--\s*toc\b(?!stop)([^]*?)-->$/i,
  end: /^<!--\s*tocstop\s*-->$/i,
  startLabel: '<!-- toc -->',
  endLabel: '<!-- tocstop -->',
  rulePrefix: 'toc',
  loneStart: true,
};

/** doctoc's markers; the words after `START doctoc` are doctoc's own, not options. */
export const DOCTOC_MARKERS: MarkerSpec = {
  start: /^<!--\s*START doctoc\b([^]*?)-->$/i,
  end: /^<!--\s*END doctoc\b[^]*?-->$/i,
  startLabel: '<!-- START doctoc -->',
  endLabel: '<!-- END doctoc -->',
  rulePrefix: 'toc',
};

export const INDEX_MARKERS: MarkerSpec = {
  start: /^<!--\s*index\b(?!stop)([^]*?)-->$/i,
  end: /^<!--\s*indexstop\s*-->$/i,
  startLabel: '<!-- index -->',
  endLabel: '<!-- indexstop -->',
  rulePrefix: 'index',
};

function restPoint(node: Html, match: RegExpExecArray): Point {
  const start = node.position?.start ?? { line: 1, column: 1 };
  const lead = node.value.length - node.value.trimStart().length;
  const before = node.value.slice(0, lead) + match[0].slice(0, match[0].length - (match[1] ?? '').length - 3);
  const lines = before.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return lines.length === 1 ? { line: start.line, column: start.column + last.length } : { line: start.line + lines.length - 1, column: last.length + 1 };
}

export function findMarkerPairs(tree: Root, spec: MarkerSpec): MarkerScan {
  const pairs: MarkerPair[] = [];
  const problems: Problem[] = [];
  let seen = false;
  let open: { node: Html; index: number; match: RegExpExecArray } | undefined;
  walk(tree, 'html', (node, parent) => {
    const value = node.value.trim();
    const startMatch = spec.start.exec(value);
    const isEnd = spec.end.test(value);
    if (!startMatch && !isEnd) return;
    seen = true;
    const place = node.position?.start;
    if (parent !== tree) {
      problems.push({
        reason: `${startMatch ? spec.startLabel : spec.endLabel} inside a ${parent?.type ?? 'container'} is not supported; put the markers at the top level of the note`,
        place,
        ruleId: `${spec.rulePrefix}-unsupported`,
      });
      return;
    }
    const index = tree.children.indexOf(node);
    if (startMatch) {
      if (open) {
        problems.push({
          reason: `second ${spec.startLabel} before ${spec.endLabel} closes the one at line ${open.node.position?.start.line ?? '?'}`,
          place,
          ruleId: `${spec.rulePrefix}-marker-unclosed`,
        });
        return;
      }
      open = { node, index, match: startMatch };
      return;
    }
    if (!open) {
      problems.push({ reason: `${spec.endLabel} without a ${spec.startLabel} before it`, place, ruleId: `${spec.rulePrefix}-marker-unopened` });
      return;
    }
    pairs.push({ start: open.node, end: node, startIndex: open.index, endIndex: index, rest: open.match[1] ?? '', restPoint: restPoint(open.node, open.match) });
    open = undefined;
  });
  if (open && spec.loneStart && pairs.length === 0 && problems.length === 0) {
    pairs.push({ start: open.node, end: open.node, startIndex: open.index, endIndex: open.index, rest: open.match[1] ?? '', restPoint: restPoint(open.node, open.match), open: true });
  } else if (open) {
    problems.push({
      reason: `${spec.startLabel} has no ${spec.endLabel} after it; add ${spec.endLabel} on a line of its own where the generated part ends`,
      place: open.node.position?.start,
      ruleId: `${spec.rulePrefix}-marker-unclosed`,
    });
  }
  return { pairs, problems, seen };
}
