/**
 * Hidden setup lines, rustdoc's `# ` idea made to render harmlessly: a line
 * `#kb: CODE` (Python) or `//kb: CODE` (JavaScript, TypeScript) shows on the
 * page as a comment, and runs as `CODE` (its indentation kept, so it may sit
 * inside a function). Lines keep their numbers, so failures point at the note.
 * Only the exact `#kb:` / `//kb:` (no space after the comment sign): an ordinary
 * comment such as `# kb: see below` is left alone.
 */
import type { RunnerName } from './types.ts';

const MARKERS: Partial<Record<RunnerName, RegExp>> = {
  python: /^([ \t]*)#kb:[ \t]?(.*)$/,
  js: /^([ \t]*)\/\/kb:[ \t]?(.*)$/,
  ts: /^([ \t]*)\/\/kb:[ \t]?(.*)$/,
};

/** The code that runs: each hidden line uncommented. */
export function revealHiddenLines(runner: RunnerName | null, code: string): string {
  const marker = runner ? MARKERS[runner] : undefined;
  if (!marker || !code.includes('kb:')) return code;
  return code
    .split('\n')
    .map((line) => {
      const m = marker.exec(line);
      return m ? m[1]! + m[2]! : line;
    })
    .join('\n');
}
