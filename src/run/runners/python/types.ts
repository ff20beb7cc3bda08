/**
 * What the engine asks of Python and what comes back. Line numbers are always
 * NOTE lines (1-based), so a failure can point into the Markdown file.
 */

/** A piece of code exactly as in the note; `firstLine` is the note line of its first line. */
export interface CodePart {
  code: string;
  firstLine: number;
}

export interface PythonJob {
  /** 'doctest' = a pycon block checked with doctest semantics. */
  kind: 'exec' | 'doctest';
  /** Absolute path of the note; tracebacks name it. */
  filename: string;
  code: string;
  firstLine: number;
  /** Hidden setup run before the example in the same namespace (and loop), in order. */
  setup?: CodePart[];
  /** Run after the example even if it failed; a teardown failure fails the job. */
  teardown?: CodePart[];
  /** Default supplied by the caller (10 s). Covers setup, example and teardown. */
  timeoutMs: number;
  /**
   * Jobs with the same session id share globals, cwd, environment, context variables and one
   * asyncio loop, in submission order, on a worker of their own (no other job runs there, so no
   * other example can end the session). Every block of a session runs inside that loop, as in Jupyter: a task
   * created in one block (even without an await) lives on in the next, but `asyncio.run()`
   * cannot be used there. Outside sessions, plain blocks run outside the loop (so
   * `asyncio.run()` works) and blocks with a top-level await inside a fresh one.
   */
  session?: string;
  /** Run in a fresh, throwaway worker process (`session` is then ignored). */
  isolate?: 'process';
  /** PYTHONHASHSEED (default '0'); workers are keyed by it. */
  hashSeed?: string;
  /** Default doctest flags for doctest jobs, e.g. ['ELLIPSIS']. */
  doctestOptionFlags?: string[];
  /** `match=`: a Python regular expression the worker searches the exception's message with (`re.search`). */
  match?: string;
}

export interface PythonException {
  /** 'ValueError', 'json.decoder.JSONDecodeError' (builtins and __main__ are left bare). */
  type: string;
  /** The MRO as 'module.QualName' and bare names: ['builtins.ValueError', 'ValueError', ..., 'BaseException']. */
  qualifiedNames: string[];
  message: string;
  /** Formatted traceback without the worker's own frames. */
  traceback: string;
  /** Note line where it was raised (deepest frame in the note). */
  line?: number;
  /** Which part raised. Only 'example' should be matched against an expected exception. */
  phase?: 'setup' | 'example' | 'teardown';
  /** With the job's `match`: whether `re.search(match, message)` found it. */
  messageMatches?: boolean;
  /** With the job's `match`: why Python could not compile it. */
  matchError?: string;
}

export interface DoctestFailure {
  /** Note line of the failing `>>>` prompt. */
  line: number;
  source: string;
  expected: string;
  got: string;
  /** `Type: message` when the prompt raised unexpectedly (then `got` is the traceback). */
  exception?: string;
}

/**
 * - passed: ran to the end. `sys.exit()` / `sys.exit(0)` count as passed (the rest of the
 *   block is skipped, as in a script); any other exit code is 'failed' with a SystemExit.
 * - failed: an uncaught exception (`exception`, with the phase that raised it), or doctest
 *   prompts that did not match (`doctestFailures`).
 * - timeout / output-limit: the worker was killed and replaced; output so far is kept
 *   (cut at the limit).
 * - crashed: the worker process died (segfault, os._exit); also for the later jobs of a
 *   session whose worker died, which did not run.
 * - leaked: a child process or a Python thread was still running after the block (after a
 *   short grace); they were killed with the worker. Sessions are checked after every block too.
 *   Native threads of a C library (OpenBLAS, ...) are not a leak: they retire the worker.
 * - skipped: not run because the pool was closed.
 */
export type PythonStatus = 'passed' | 'failed' | 'timeout' | 'crashed' | 'output-limit' | 'leaked' | 'skipped';

export interface PythonResult {
  status: PythonStatus;
  stdout: string;
  stderr: string;
  /** Uncaught exception of the example (status 'failed'). */
  exception?: PythonException;
  doctestFailures?: DoctestFailure[];
  /** Set when the block ended with SystemExit (sys.exit): 0 for None, 1 for a non-int code. */
  exitCode?: number;
  /** Human explanation for timeout/crash/output-limit/leaked/skipped. */
  message?: string;
  /**
   * Set when the example changed what the worker cannot put back (it imported ctypes, lowered a
   * hard resource limit, left a C library's native threads running, ...): the result stands, and
   * the worker was replaced before the next example.
   */
  retire?: string;
  durationMs: number;
}
