/**
 * The mutations of one claim's evidence: each changes one expected value (a
 * line of an `output` block or of a transcript's output, the exception of
 * `raises=`, the `exit=` status, a literal in an `assert`) in a copy of the
 * note's plan. Evidence bound to what it claims fails under every one of them;
 * a mutation that still passes shows evidence that does not check that value.
 * Pure: plan in, mutated plans out.
 */
import type { CheckPlan, ClaimPlan, ExamplePlan, NotePlan } from '../plan/types.ts';

export interface Mutation {
  /** What changed, for a person: `output line 14: "4" → "5"`. */
  what: string;
  /** Note line of the changed value. */
  line: number;
  /** The note's plan with this one change. */
  plan: NotePlan;
}

export const DEFAULT_LIMIT = 8;

type Edit = { what: string; line: number; apply: (plan: NotePlan) => void };

/**
 * Whether an `output` alternative applies to this run (its `requires=` hold). Mutating an
 * alternative that does not apply can never fail, so it would be a false survivor.
 */
export type OutputApplies = (requires: readonly string[]) => boolean;

/**
 * Which pieces of a claim's evidence ran (and passed) unmutated. A piece that is skipped here
 * (`requires=` an interpreter or a module this run lacks) can never fail, so mutating it would
 * report a false survivor.
 */
export interface EvidenceRan {
  example(id: string): boolean;
  check(index: number): boolean;
}

const EVERY_PIECE: EvidenceRan = { example: () => true, check: () => true };

/** At most `limit` mutations, taken in turn from each piece of evidence so every piece gets some. */
export function claimMutations(plan: NotePlan, claim: ClaimPlan, limit = DEFAULT_LIMIT, applies: OutputApplies = () => true, ran: EvidenceRan = EVERY_PIECE): Mutation[] {
  const perEvidence: Edit[][] = [];
  for (const id of claim.examples) {
    const ex = plan.items.find((i): i is ExamplePlan => i.kind === 'example' && i.id === id);
    if (ex && ex.runner && ex.options.skip === undefined && ran.example(id)) perEvidence.push(exampleEdits(ex, applies));
  }
  claim.checks.forEach((check, index) => {
    if (ran.check(index)) perEvidence.push(checkEdits(claim.id, index, check));
  });
  const chosen: Edit[] = [];
  for (let round = 0; chosen.length < limit && perEvidence.some((list) => list.length > round); round++) {
    for (const list of perEvidence) if (list[round] && chosen.length < limit) chosen.push(list[round]!);
  }
  return chosen.map((edit) => {
    const copy = structuredClone(plan);
    edit.apply(copy);
    return { what: edit.what, line: edit.line, plan: copy };
  });
}

function exampleOf(plan: NotePlan, id: string): ExamplePlan {
  return plan.items.find((i): i is ExamplePlan => i.kind === 'example' && i.id === id)!;
}

function checkOf(plan: NotePlan, claimId: string, index: number): CheckPlan {
  const claim = plan.items.find((i): i is ClaimPlan => i.kind === 'claim' && i.id === claimId)!;
  return claim.checks[index]!;
}

function exampleEdits(ex: ExamplePlan, applies: OutputApplies): Edit[] {
  const edits: Edit[] = [];
  ex.outputs.forEach((block, b) => {
    if (!applies(block.requires)) return;
    const lines = block.text.replace(/\n$/, '').split('\n');
    for (const change of lineChanges(lines)) {
      edits.push({
        what: `output line ${block.line + 1 + change.index}: ${change.what}`,
        line: block.line + 1 + change.index,
        apply: (plan) => {
          const target = exampleOf(plan, ex.id).outputs[b]!;
          target.text = change.lines.join('\n') + (block.text.endsWith('\n') ? '\n' : '');
        },
      });
    }
  });
  if (ex.runner === 'pycon' || ex.runner === 'console') {
    const prompt = ex.runner === 'pycon' ? /^(>>>|\.\.\.)( |$)/ : /^\$( |$)/;
    const code = ex.code.split('\n');
    const outputIndexes = code.map((l, i) => (l.trim() !== '' && !prompt.test(l) ? i : -1)).filter((i) => i >= 0);
    for (const index of outputIndexes) {
      const change = alterLine(code[index]!);
      if (!change) continue;
      edits.push({
        what: `transcript output line ${ex.codeLine + index}: ${change.what}`,
        line: ex.codeLine + index,
        apply: (plan) => {
          const target = exampleOf(plan, ex.id);
          const copy = target.code.split('\n');
          copy[index] = change.text;
          target.code = copy.join('\n');
        },
      });
    }
  }
  if (ex.options.raises !== undefined) {
    const other = otherException(ex.options.raises);
    edits.push({ what: `raises=${ex.options.raises} → raises=${other}`, line: ex.line, apply: (plan) => void (exampleOf(plan, ex.id).options.raises = other) });
  }
  if (ex.options.exit !== undefined) {
    const other = ex.options.exit === 0 ? 1 : 0;
    edits.push({ what: `exit=${ex.options.exit} → exit=${other}`, line: ex.line, apply: (plan) => void (exampleOf(plan, ex.id).options.exit = other) });
  }
  if (ex.runner === 'python') {
    for (const change of assertLiteralChanges(ex.code)) {
      edits.push({ what: `assert at line ${ex.codeLine + change.index}: ${change.what}`, line: ex.codeLine + change.index, apply: (plan) => void (exampleOf(plan, ex.id).code = change.code) });
    }
  }
  return edits;
}

function checkEdits(claimId: string, index: number, check: CheckPlan): Edit[] {
  const edits: Edit[] = [];
  if (check.raises !== undefined) {
    const other = otherException(check.raises);
    edits.push({ what: `raises=${check.raises} → raises=${other}`, line: check.line, apply: (plan) => void (checkOf(plan, claimId, index).raises = other) });
  }
  for (const change of assertLiteralChanges(check.code)) {
    edits.push({ what: `hidden check line ${check.firstLine + change.index}: ${change.what}`, line: check.firstLine + change.index, apply: (plan) => void (checkOf(plan, claimId, index).code = change.code) });
  }
  return edits;
}

export function otherException(name: string): string {
  return name === 'ValueError' ? 'TypeError' : 'ValueError';
}

/** One change per line of an expected output: a changed value, else a dropped line. */
export function lineChanges(lines: string[]): { index: number; what: string; lines: string[] }[] {
  const changes: { index: number; what: string; lines: string[] }[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.trim() === '...') return;
    const altered = alterLine(line);
    if (altered) changes.push({ index, what: altered.what, lines: lines.map((l, i) => (i === index ? altered.text : l)) });
    else if (lines.length > 1) changes.push({ index, what: `dropped ${quote(line)}`, lines: lines.filter((_, i) => i !== index) });
  });
  // A block of one unalterable line: drop it whole.
  if (changes.length === 0 && lines.length === 1 && lines[0]!.trim() !== '' && lines[0]!.trim() !== '...') {
    changes.push({ index: 0, what: `emptied ${quote(lines[0]!)}`, lines: [] });
  }
  return changes;
}

const BOOLS: Record<string, string> = { True: 'False', False: 'True', true: 'false', false: 'true' };

/** Change a digit or flip a boolean; else append a word, so the line differs in any match mode. */
export function alterLine(line: string): { what: string; text: string } | undefined {
  const bool = /\b(True|False|true|false)\b/.exec(line);
  if (bool) {
    const text = line.slice(0, bool.index) + BOOLS[bool[1]!] + line.slice(bool.index + bool[1]!.length);
    return { what: `${quote(line)} → ${quote(text)}`, text };
  }
  const digit = /\d/.exec(line);
  if (digit) {
    const d = Number(digit[0]);
    const text = line.slice(0, digit.index) + String((d + 1) % 10) + line.slice(digit.index + 1);
    return { what: `${quote(line)} → ${quote(text)}`, text };
  }
  if (line.trim() === '' || line.trim() === '...') return undefined;
  const text = `${line} MUTATED`;
  return { what: `${quote(line)} → ${quote(text)}`, text };
}

/**
 * Literal changes inside single-line `assert` statements (before the message):
 * a number +1, a string with a character added, a boolean flipped, `None` → `0`.
 */
export function assertLiteralChanges(code: string): { index: number; what: string; code: string }[] {
  const lines = code.split('\n');
  const changes: { index: number; what: string; code: string }[] = [];
  lines.forEach((line, index) => {
    const head = /^(\s*assert\s+)/.exec(line);
    if (!head) return;
    const end = expressionEnd(line, head[0].length);
    // In `assert a == b`, the checked value is `b`: changing `a`'s inputs says little about binding.
    const start = comparisonEnd(line, head[0].length, end) ?? head[0].length;
    // A bound nudged by one still holds; a bound that no longer binds shows the check proves nothing,
    // so `x < 1.2` is tightened to `x < 0` and `n >= 10` to `n >= 101`.
    const op = /(<=|>=|<|>)\s*$/.exec(line.slice(head[0].length, start))?.[1];
    const checked = literals(line, start, end).map((lit) => (op && /^\d[\d_.]*$/.test(lit.text) ? { ...lit, replacement: tightened(lit.text, op) } : lit));
    for (const lit of checked.length > 0 ? checked : literals(line, head[0].length, end)) {
      const replaced = line.slice(0, lit.start) + lit.replacement + line.slice(lit.end);
      changes.push({
        index,
        what: `${lit.text} → ${lit.replacement} in ${quote(line.trim())}`,
        code: lines.map((l, i) => (i === index ? replaced : l)).join('\n'),
      });
    }
  });
  return changes;
}

const TOKEN = /([rRbBuU]?[fF]?[rR]?)("""|'''|"|')|(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?j?)|([A-Za-z_]\w*)|([,()[\]{}])|(#)/y;

/** Offset of the top-level comma that starts an assert's message, or the end of the line. */
function expressionEnd(line: string, from: number): number {
  let depth = 0;
  for (const tok of tokens(line, from, line.length)) {
    if (tok.kind === 'comment') return tok.start;
    if (tok.kind === 'punct') {
      if ('([{'.includes(tok.text)) depth++;
      else if (')]}'.includes(tok.text)) depth--;
      else if (tok.text === ',' && depth === 0) return tok.start;
    }
  }
  return line.length;
}

/** Offset just after the first top-level comparison operator of `line[from, to)`, outside strings. */
function comparisonEnd(line: string, from: number, to: number): number | undefined {
  let depth = 0;
  let cursor = from;
  const OP = /==|!=|<=|>=|<|>|\bnot\s+in\b|\bin\b|\bis(?:\s+not)?\b/g;
  const gap = (a: number, b: number): number | undefined => {
    if (depth !== 0) return undefined;
    OP.lastIndex = 0;
    const m = OP.exec(line.slice(a, b));
    return m ? a + m.index + m[0].length : undefined;
  };
  for (const tok of tokens(line, from, to)) {
    if (tok.start >= to) break;
    const found = gap(cursor, tok.start);
    if (found !== undefined) return found;
    if (tok.kind === 'name' && ['in', 'is', 'not'].includes(tok.text) && depth === 0) {
      const rest = gap(tok.start, Math.min(to, tok.end + 4));
      if (rest !== undefined) return rest;
    }
    if (tok.kind === 'punct') {
      if ('([{'.includes(tok.text)) depth++;
      else if (')]}'.includes(tok.text)) depth--;
    }
    cursor = tok.end;
  }
  return gap(cursor, to);
}

type Token = { kind: 'string' | 'fstring' | 'number' | 'name' | 'punct' | 'comment'; start: number; end: number; text: string };

function* tokens(line: string, from: number, to: number): Generator<Token> {
  let i = from;
  while (i < to) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(line);
    if (!m) {
      i++;
      continue;
    }
    if (m[2]) {
      const q = m[2];
      let j = m.index + m[0].length;
      while (j < line.length && line.slice(j, j + q.length) !== q) j += line[j] === '\\' ? 2 : 1;
      const end = Math.min(line.length, j + q.length);
      yield { kind: /[fF]/.test(m[1] ?? '') ? 'fstring' : 'string', start: m.index, end, text: line.slice(m.index, end) };
      i = end;
    } else if (m[3]) {
      yield { kind: 'number', start: m.index, end: m.index + m[0].length, text: m[0] };
      i = m.index + m[0].length;
    } else if (m[4]) {
      yield { kind: 'name', start: m.index, end: m.index + m[0].length, text: m[0] };
      i = m.index + m[0].length;
    } else if (m[5]) {
      yield { kind: 'punct', start: m.index, end: m.index + 1, text: m[0] };
      i = m.index + 1;
    } else {
      yield { kind: 'comment', start: m.index, end: line.length, text: line.slice(m.index) };
      return;
    }
  }
}

function literals(line: string, from: number, to: number): { start: number; end: number; text: string; replacement: string }[] {
  const found: { start: number; end: number; text: string; replacement: string }[] = [];
  for (const tok of tokens(line, from, to)) {
    if (tok.end > to) break;
    if (tok.kind === 'number') {
      const n = tok.text.replace(/_/g, '');
      if (/^\d+$/.test(n)) found.push({ ...tok, replacement: String(BigInt(n) + 1n) });
      else if (/^\d+\.\d+$/.test(n)) found.push({ ...tok, replacement: `${n}1` });
    } else if (tok.kind === 'string') {
      const q = /("""|'''|"|')$/.exec(tok.text)?.[1] ?? '"';
      found.push({ ...tok, replacement: `${tok.text.slice(0, tok.text.length - q.length)}~${q}` });
    } else if (tok.kind === 'name' && (tok.text === 'True' || tok.text === 'False')) {
      found.push({ ...tok, replacement: BOOLS[tok.text]! });
    } else if (tok.kind === 'name' && tok.text === 'None') {
      found.push({ ...tok, replacement: '0' });
    }
  }
  return found;
}

function tightened(text: string, op: string): string {
  const n = Number(text.replace(/_/g, ''));
  return op.startsWith('<') ? '0' : String(Math.floor(n * 10) + 1);
}

function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(short);
}
