/**
 * Line-level alignment of what the author expected with what the code
 * printed. The update command keeps every expected line that still matches
 * (an ellipsis line keeps the run of lines it covers; a `regex` line the line
 * it matches) and replaces only the rest, so a rewrite never loses a wildcard
 * the author wrote.
 */

export interface LineRules {
  /** Does expected line `expected` match the actual line `actual`? */
  matches(expected: string, actual: string): boolean;
  /** Can this expected line cover several actual lines (an ellipsis)? */
  spans?(expected: string): boolean;
  /** Does the spanning line `expected` match these actual lines (two or more) joined? */
  coversSpan?(expected: string, actual: readonly string[]): boolean;
  /** The line to write for an actual line no expected line covers. */
  literal(actual: string): string;
}

/** Past this many cells (expected × actual lines) alignment gives up and the caller writes the output as is. */
const MAX_CELLS = 4_000_000;
/** How far back a spanning line that is not a bare `...` is tried (each try is a regular expression test). */
const MAX_SPAN = 200;

const enum Step {
  Drop = 1,
  Insert = 2,
  Match = 3,
  Span = 4,
  Replace = 5,
}

/**
 * Every dropped, inserted or replaced line costs one EDIT; each line an
 * ellipsis covers beyond its first costs one. So the alignment changes as few
 * lines as it can, and among those it lets a wildcard swallow as little as it
 * can: a line that changed is replaced where it stands, not absorbed by the
 * `...` before it.
 */
const EDIT = 1_000_000;

/**
 * The new expected lines, in order: kept expected lines and literal actual
 * lines. `undefined` when the inputs are too large to align.
 */
export function alignOrdered(expected: readonly string[], actual: readonly string[], rules: LineRules): string[] | undefined {
  const n = expected.length;
  const m = actual.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;
  const width = m + 1;
  const cost = new Float64Array((n + 1) * width);
  const step = new Uint8Array((n + 1) * width);
  /** For a Span step: the column the span starts after. */
  const from = new Int32Array((n + 1) * width);
  for (let j = 1; j <= m; j++) {
    cost[j] = j * EDIT;
    step[j] = Step.Insert;
  }
  for (let i = 1; i <= n; i++) {
    const line = expected[i - 1]!;
    const spans = rules.spans?.(line) ?? false;
    const bare = spans && line.trim() === '...';
    cost[i * width] = i * EDIT;
    step[i * width] = Step.Drop;
    // Running minimum of cost[i-1][k] - k for k <= j-2, for a bare `...` that covers any run of lines.
    let bestPrev = Number.POSITIVE_INFINITY;
    let bestPrevAt = -1;
    for (let j = 1; j <= m; j++) {
      const at = i * width + j;
      const diagonal = cost[(i - 1) * width + j - 1]!;
      let best = cost[(i - 1) * width + j]! + EDIT;
      let how = Step.Drop;
      let start = 0;
      const insert = cost[at - 1]! + EDIT;
      if (insert < best) {
        best = insert;
        how = Step.Insert;
      }
      if (diagonal + EDIT < best) {
        best = diagonal + EDIT;
        how = Step.Replace;
      }
      if (diagonal <= best && rules.matches(line, actual[j - 1]!)) {
        best = diagonal;
        how = Step.Match;
      }
      if (spans && j >= 2) {
        if (bare) {
          const candidate = cost[(i - 1) * width + j - 2]! - (j - 2);
          if (candidate <= bestPrev) {
            bestPrev = candidate;
            bestPrevAt = j - 2;
          }
          if (bestPrev + (j - 1) < best) {
            best = bestPrev + (j - 1);
            how = Step.Span;
            start = bestPrevAt;
          }
        } else if (rules.coversSpan) {
          for (let k = j - 2; k >= Math.max(0, j - MAX_SPAN); k--) {
            const candidate = cost[(i - 1) * width + k]! + (j - k - 1);
            if (candidate < best && rules.coversSpan(line, actual.slice(k, j))) {
              best = candidate;
              how = Step.Span;
              start = k;
            }
          }
        }
      }
      cost[at] = best;
      step[at] = how;
      from[at] = start;
    }
  }
  const out: string[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const at = i * width + j;
    switch (step[at] as Step) {
      case Step.Drop:
        i--;
        break;
      case Step.Insert:
        out.push(rules.literal(actual[j - 1]!));
        j--;
        break;
      case Step.Replace:
        out.push(rules.literal(actual[j - 1]!));
        i--;
        j--;
        break;
      case Step.Match:
        out.push(expected[i - 1]!);
        i--;
        j--;
        break;
      case Step.Span:
        out.push(expected[i - 1]!);
        j = from[at]!;
        i--;
        break;
    }
  }
  return out.reverse();
}

/**
 * For output whose lines may come in any order: expected lines that can be
 * paired with an actual line stay where they are; the others give their place
 * to the unpaired actual lines (in the order printed), and any actual lines
 * left over are added at the end.
 */
export function alignUnordered(expected: readonly string[], actual: readonly string[], rules: LineRules): string[] | undefined {
  if (expected.length * actual.length > MAX_CELLS) return undefined;
  const edges = expected.map((e) => actual.map((a, j) => (rules.matches(e, a) ? j : -1)).filter((j) => j >= 0));
  const owner = new Array<number>(actual.length).fill(-1);
  const assign = (i: number, seen: boolean[]): boolean => {
    for (const j of edges[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (owner[j] === -1 || assign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) assign(i, new Array<boolean>(actual.length).fill(false));
  const paired = new Set(owner.filter((i) => i >= 0));
  const spare = actual.filter((_, j) => owner[j] === -1).map((a) => rules.literal(a));
  const out: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (paired.has(i)) out.push(expected[i]!);
    else if (spare.length > 0) out.push(spare.shift()!);
  }
  return [...out, ...spare];
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `...` in `pattern` matches any text (also across lines); the rest is literal. */
export function ellipsisMatches(pattern: string, text: string): boolean {
  if (!pattern.includes('...')) return pattern === text;
  return new RegExp(`^${pattern.split('...').map(escapeRegExp).join('[\\s\\S]*')}$`).test(text);
}

/** An object's memory address (`<Foo object at 0x7f...>`): different on every run, so never written as expected output. */
const ADDRESS = /\b0x[0-9a-fA-F]{8,}\b/;

/** The first line of `written` with a memory address that `kept` (the author's lines) does not have. */
export function newAddress(written: readonly string[], kept: readonly string[]): string | undefined {
  const authored = new Set(kept);
  return written.find((line) => ADDRESS.test(line) && !authored.has(line));
}
