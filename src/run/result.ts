/** What any runner reports about one piece of code, and what the engine concludes from it. */

export interface RaisedException {
  type: string;
  /** The exception's class hierarchy, as `module.QualName` and bare names. */
  qualifiedNames: string[];
  message: string;
  traceback: string;
  /** Note line where it was raised, when the deepest frame is in the note. */
  line?: number;
  /** `match=` tested by the runner in the example's own language (Python: `re.search`). */
  messageMatches?: boolean;
  /** `match=` could not be compiled by the runner. */
  matchError?: string;
}

export interface PromptFailure {
  line: number;
  source: string;
  expected: string;
  got: string;
  exception?: string;
}

/** A runner's raw result, before the example's expectations are applied. */
export interface RunResult {
  status: 'passed' | 'failed' | 'timeout' | 'crashed' | 'output-limit' | 'leaked' | 'skipped';
  stdout: string;
  stderr: string;
  exception?: RaisedException;
  exitCode?: number;
  doctestFailures?: PromptFailure[];
  message?: string;
  durationMs: number;
}

export interface Verdict {
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped; for a failure, everything the author needs (diff, traceback). */
  message?: string;
  /** Note line the failure points at (the failing prompt, the raising line, the output block). */
  line?: number;
  /** For a failed session block: the line of the block that failed first. */
  culprit?: number;
  /** Actual output, kept so the update command can rewrite a stale `output` block. */
  actualOutput?: string;
  /** Index in `example.outputs` of the alternative that was compared. */
  outputIndex?: number;
  /** What the update command may rewrite: a mismatching output block, a block drifted from its include, or prompts of a transcript. */
  updatable?: 'output' | 'include' | 'transcript';
  /** For a failed `pycon` or `console` transcript: each failing prompt, so the update command can rewrite its output. */
  prompts?: PromptFailure[];
  /** The runner's own status: `timeout`, `crashed`, `output-limit` or `leaked` mean the code could not run to its end. */
  runStatus?: RunResult['status'];
  durationMs: number;
}

export const passed = (durationMs = 0): Verdict => ({ status: 'passed', durationMs });
export const failed = (message: string, line?: number, extra: Partial<Verdict> = {}): Verdict => ({ status: 'failed', message, line, durationMs: 0, ...extra });
export const skipped = (message: string): Verdict => ({ status: 'skipped', message, durationMs: 0 });
