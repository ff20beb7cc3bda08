/**
 * evaluate: a runner's raw result + the example's expectations → a verdict.
 * Shared by every language: expected exception, exit status, expected output.
 */
import type { ExamplePlan, ExpectedOutput } from '../plan/types.ts';
import { mismatchHints } from './output-hints.ts';
import { outputDiff, outputMatches } from './output-match.ts';
import { failed, passed, type RunResult, type Verdict } from './result.ts';

export interface Expectations {
  raises?: string;
  match?: string;
  exit?: number;
  /** The output alternative that applies (already chosen by its conditions), if any. */
  output?: { block: ExpectedOutput; index: number };
  /** Modes from the example's own info string, combined with the output block's. */
  modes: ExamplePlan['options']['modes'];
  /** Line to blame when nothing more precise is known. */
  line: number;
}

export function evaluate(result: RunResult, expect: Expectations): Verdict {
  const verdict = evaluateStatus(result, expect);
  verdict.durationMs = result.durationMs;
  verdict.runStatus = result.status;
  if (expect.output) {
    verdict.actualOutput = result.stdout;
    verdict.outputIndex = expect.output.index;
  }
  return verdict;
}

function evaluateStatus(result: RunResult, expect: Expectations): Verdict {
  switch (result.status) {
    case 'timeout':
    case 'crashed':
    case 'output-limit':
    case 'leaked':
      return failed(withStderr(result.message ?? result.status, result), expect.line);
    case 'skipped':
      return { status: 'skipped', message: result.message ?? 'skipped', durationMs: 0 };
    default:
      break;
  }
  if (result.doctestFailures && result.doctestFailures.length > 0) {
    const message = result.doctestFailures
      .map((f) => `line ${f.line}: ${f.source.trimEnd()}\n${outputDiff(f.expected, f.exception ?? f.got, 'output')}${hintLines(f.exception ? [] : mismatchHints(f.expected, f.got, expect.modes, 'doctest'))}`)
      .join('\n\n');
    return failed(`${result.doctestFailures.length} prompt(s) failed\n\n${message}`, result.doctestFailures[0]!.line, { updatable: 'transcript', prompts: result.doctestFailures });
  }
  if (expect.raises) {
    const e = result.exception;
    if (!e) {
      return failed(`expected the block to end with ${expect.raises}, but it ended without an exception${exitNote(result)}`, expect.line);
    }
    if (!e.qualifiedNames.includes(expect.raises)) {
      return failed(`expected ${expect.raises} (or a subclass), but the block raised ${e.type}: ${e.message}\n\n${e.traceback}`, e.line ?? expect.line);
    }
    if (expect.match !== undefined) {
      if (e.matchError !== undefined) return failed(`\`match=\` is not a valid regular expression: ${e.matchError} [invalid-regex]`, expect.line);
      if (!(e.messageMatches ?? messageMatches(expect.match, e.message))) {
        return failed(`${e.type} was raised as expected, but its message does not match /${expect.match}/:\n  ${e.message}`, e.line ?? expect.line);
      }
    }
  } else if (result.exception) {
    const e = result.exception;
    const headline = `${e.type}: ${e.message}`;
    // The headline leads the message (vitest shows it first); the traceback's own last line repeats it.
    const traceback = e.traceback.trimEnd().endsWith(headline) ? e.traceback.trimEnd().slice(0, -headline.length) : e.traceback;
    return failed(`${headline}\n\n${traceback}`.trimEnd(), e.line ?? expect.line);
  } else if (result.status === 'failed' && expect.exit === undefined) {
    return failed(withStderr(result.message ?? `failed with exit status ${result.exitCode ?? '?'}`, result), expect.line);
  }
  if (expect.exit !== undefined || result.exitCode !== undefined) {
    const want = expect.exit ?? 0;
    if ((result.exitCode ?? 0) !== want) {
      return failed(withStderr(`expected exit status ${want}, got ${result.exitCode ?? 0}`, result), expect.line);
    }
  }
  if (expect.output) {
    const modes = [...new Set([...expect.modes, ...expect.output.block.modes])];
    if (!outputMatches(expect.output.block.text, result.stdout, modes)) {
      const how = modes.length ? ` (modes: ${modes.join(', ')})` : '';
      return failed(`output differs from the \`output\` block at line ${expect.output.block.line}${how}; \`npm run update\` rewrites it\n\n${outputDiff(expect.output.block.text, result.stdout)}${hintLines(mismatchHints(expect.output.block.text, result.stdout, modes, 'output'))}`, expect.output.block.line, { updatable: 'output' });
    }
  }
  return passed();
}

/** `match=` for runners that do not test it themselves (JavaScript: the plan already checked the pattern compiles). */
function messageMatches(pattern: string, message: string): boolean {
  try {
    return new RegExp(pattern).test(message);
  } catch {
    return false;
  }
}

function hintLines(hints: string[]): string {
  return hints.map((h) => `\n${h}`).join('');
}

function exitNote(result: RunResult): string {
  return result.exitCode ? ` (exit status ${result.exitCode})` : '';
}

function withStderr(message: string, result: RunResult): string {
  const stderr = result.stderr.trimEnd();
  if (!stderr) return message;
  const tail = stderr.length > 4000 ? `…${stderr.slice(-4000)}` : stderr;
  return `${message}\n\nstderr:\n${tail}`;
}
