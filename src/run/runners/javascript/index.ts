/**
 * `js` and `ts` jobs.
 *
 * Each part of a job (setup parts, the code, teardown parts) becomes an ES
 * module file (prepare.ts: oxc parse, type stripping for ts, specifiers
 * relative to the note) imported by a long-lived Node child process
 * (child.mjs, driven by pool.ts) — a fresh module scope per example,
 * top-level await included, without a process per example.
 *
 * - Output: the child's real stdout/stderr, cut per job by sentinels, 1 MiB
 *   each (more → 'output-limit', the process is replaced).
 * - Like `node example.mjs`, a job ends when nothing it started is pending
 *   (timers, sockets, fs requests); what never ends runs into the timeout,
 *   which SIGKILLs the process group and reports what was still pending.
 * - Errors: 'failed' with the exception (constructor chain, message, stack
 *   whose module frames name the note at note lines, `line` = the first of
 *   them). An uncaught async error or unhandled rejection fails the job too.
 *   Setup/teardown errors are 'crashed' (they are not the example's outcome).
 * - process.exit(n) ends the example with exit status n; process.exitCode is
 *   reported as `exitCode`.
 * - Each example runs in its own temp working directory with private HOME and
 *   TMPDIR and the allow-listed environment (no secrets of the parent);
 *   `require` is available, resolving from the note.
 * - Between ordinary examples the child restores globalThis, console,
 *   process.env and process listeners; prototype changes (e.g. to
 *   Array.prototype) are not undone.
 * - Sessions: one child per session; top-level bindings and imports are
 *   shared through globalThis (see prepare.ts). Setup/teardown share the
 *   same way with their example.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CodeJob } from '../index.ts';
import type { RaisedException, RunResult } from '../../result.ts';
import { Lane, type ChildOutcome, type ChildPart, type ChildRaised } from './pool.ts';
import { preparePart, type PreparedPart, type SyntaxProblem } from './prepare.ts';
import { makeSandbox, type Sandbox } from '../../sandbox/folders.ts';
import { removeAtExit, removeDir } from '../../sandbox/cleanup.ts';

type Role = ChildPart['role'];

interface JsSession {
  lane: Lane;
  sandbox: Sandbox;
  imports: Map<string, string>;
  /** Modules of earlier blocks: their functions may throw in later ones. */
  history: Written[];
}

const shared = new Lane();
/** Marks where setup output ends and teardown output starts on stdout (see child.mjs). */
const CUT = `\x00\x1ekb-cut ${randomBytes(8).toString('hex')}\x1e\x00`;

/** The example's own stdout: without what setup printed before it and teardown after it. */
function ownOutput(stdout: string, hasSetup: boolean, hasTeardown: boolean): string {
  let text = stdout;
  if (hasSetup) {
    const at = text.indexOf(CUT);
    text = at >= 0 ? text.slice(at + CUT.length) : '';
  }
  if (hasTeardown) {
    const at = text.indexOf(CUT);
    if (at >= 0) text = text.slice(0, at);
  }
  return text.split(CUT).join('');
}
const sessions = new Map<string, JsSession>();

// ---------------------------------------------------------------------------
// Where module files go: bare specifiers resolve from there, so next to the
// note's node_modules (in its .cache, as vite does) when there is one.

const moduleDirs = new Map<string, string>();
let fileCounter = 0;

function nearestNodeModules(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Directories `<pid>-<random>` left by runs that were killed: removed when their process is gone. */
function removeStale(parent: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') removeDir(path.join(parent, name));
    }
  }
}

function moduleDir(noteFile: string): string {
  const nodeModules = nearestNodeModules(path.dirname(noteFile));
  const key = nodeModules ?? '';
  let dir = moduleDirs.get(key);
  if (!dir) {
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const parent = nodeModules ? path.join(nodeModules, '.cache', 'kb-doctest-js') : path.join(os.tmpdir(), 'kb-doctest-js');
    removeStale(parent);
    dir = path.join(parent, tag);
    mkdirSync(dir, { recursive: true });
    removeAtExit(dir);
    // The real path: Node reports a module by it, so a symlinked node_modules (pnpm's layout)
    // must not make the stack's locations differ from the files written here.
    dir = realpathSync(dir);
    moduleDirs.set(key, dir);
  }
  return dir;
}

// ---------------------------------------------------------------------------

interface Written {
  role: Role;
  index: number;
  firstLine: number;
  file: string;
  url: string;
  prepared: PreparedPart;
  /** The repository-relative file the part comes from (a folder's `kb.setup.mjs`), when not the note. */
  source?: string;
}

const ROLE_LABEL: Record<Role, string> = { setup: 'setup', code: 'example', teardown: 'teardown' };

function syntaxException(file: string, firstLine: number, problem: SyntaxProblem): RaisedException {
  const line = firstLine + problem.line - 1;
  const frame = problem.frame.trim() ? `\n${problem.frame.replace(/^\n+/, '').trimEnd()}` : '';
  return {
    type: 'SyntaxError',
    qualifiedNames: ['SyntaxError', 'Error'],
    message: problem.message,
    traceback: `${file}:${line}:${problem.column}\nSyntaxError: ${problem.message}${frame}`,
    line,
  };
}

const FRAME = /^\s+at /;
const RUNNER_FRAME = /node:internal\/modules\/esm\/|[\\/]javascript[\\/]child\.mjs\b/;
const LOCATION = /(file:\/\/[^\s()]+?\.mjs|\/[^\s()]+?\.mjs):(\d+)(?::(\d+))?/g;

/** The child's view of an exception → the note's: module locations become note lines. */
function mapException(raised: ChildRaised, written: Written[], file: string): RaisedException {
  const byLocation = new Map<string, Written>();
  for (const w of written) {
    byLocation.set(w.url, w);
    byLocation.set(w.file, w);
  }
  let line: number | undefined;
  const out: string[] = [];
  for (const text of raised.stack.split('\n')) {
    if (FRAME.test(text) && RUNNER_FRAME.test(text)) continue;
    out.push(
      text.replace(LOCATION, (whole, where: string, l: string, c: string | undefined) => {
        const w = byLocation.get(where);
        const at = w?.prepared.position(Number(l), Number(c ?? 1));
        if (!w || !at) return whole;
        const noteLine = w.firstLine + at.line - 1;
        line ??= noteLine;
        return c === undefined ? `${file}:${noteLine}` : `${file}:${noteLine}:${at.column}`;
      }),
    );
  }
  // Remaining mentions of a module file (e.g. "imported from …/ex-3.mjs") name the note.
  const renamed = (text: string) => {
    let result = text;
    for (const w of written) result = result.split(w.url).join(file).split(w.file).join(file);
    return result;
  };
  const exception: RaisedException = {
    type: raised.type,
    qualifiedNames: raised.qualifiedNames,
    message: renamed(raised.message),
    traceback: renamed(out.join('\n').trim() || `${raised.type}: ${raised.message}`) + (raised.async ? '\n(uncaught: raised after the example\'s module had finished)' : ''),
  };
  if (line !== undefined) exception.line = line;
  return exception;
}

function partLabel(raised: ChildRaised, written: Written[]): string {
  const w = written.find((x) => x.role === raised.role && x.index === raised.index);
  return w ? partName(raised.role, w.firstLine, w.source) : ROLE_LABEL[raised.role];
}

/** `setup at line 12`, or `setup in docs/kb.setup.mjs` for a folder's setup file. */
function partName(role: Role, firstLine: number, source: string | undefined): string {
  return source ? `${ROLE_LABEL[role]} in ${source}` : `${ROLE_LABEL[role]} at line ${firstLine}`;
}

function toResult(outcome: ChildOutcome, written: Written[], job: CodeJob, earlier: Written[] = []): RunResult {
  const base = { stdout: ownOutput(outcome.stdout, job.setup.length > 0, job.teardown.length > 0), stderr: outcome.stderr, durationMs: outcome.durationMs };
  switch (outcome.kind) {
    case 'timeout':
    case 'output-limit':
    case 'crashed':
      return { status: outcome.kind, ...base, message: outcome.message ?? outcome.kind };
    case 'exited': {
      const exitCode = outcome.exitCode ?? 0;
      return { status: exitCode === 0 ? 'passed' : 'failed', ...base, exitCode, message: outcome.message ?? `exit status ${exitCode}` };
    }
    default:
      break;
  }
  const { error, teardownError } = outcome;
  if (error && error.role === 'setup') {
    const e = mapException(error, [...written, ...earlier], job.file);
    return { status: 'crashed', ...base, message: `${partLabel(error, written)} raised ${e.type}: ${e.message}\n\n${e.traceback}` };
  }
  const result: RunResult = { status: 'passed', ...base };
  if (error) {
    result.status = 'failed';
    result.exception = mapException(error, [...written, ...earlier], job.file);
  }
  if (outcome.exitCode !== undefined) {
    result.exitCode = outcome.exitCode;
    if (outcome.exitCode !== 0 && !error) {
      result.status = 'failed';
      result.message = `process.exitCode was set to ${outcome.exitCode}`;
    }
  }
  if (teardownError) {
    const e = mapException(teardownError, [...written, ...earlier], job.file);
    const text = `${partLabel(teardownError, written)} raised ${e.type}: ${e.message}\n\n${e.traceback}`;
    if (result.status === 'passed') return { status: 'crashed', ...base, message: text };
    result.stderr += `\n[teardown] ${text}\n`;
  }
  return result;
}

function session(key: string): JsSession {
  let s = sessions.get(key);
  if (!s) {
    s = { lane: new Lane(key), sandbox: makeSandbox('kb-js-session-'), imports: new Map(), history: [] };
    sessions.set(key, s);
  }
  return s;
}

export async function run(job: CodeJob): Promise<RunResult> {
  const started = performance.now();
  const key = job.isolate === 'process' ? undefined : job.session;
  const sess = key !== undefined ? session(key) : undefined;
  const lane = sess?.lane ?? (job.isolate === 'process' ? new Lane() : shared);
  const expose = sess !== undefined || job.setup.length > 0 || job.teardown.length > 0;
  const imports = sess?.imports ?? new Map<string, string>();
  const lang = job.runner === 'ts' ? 'ts' : 'js';
  const parts: { role: Role; index: number; code: string; firstLine: number; file?: string }[] = [
    ...job.setup.map((p, index) => ({ role: 'setup' as const, index, ...p })),
    { role: 'code', index: 0, code: job.code, firstLine: job.firstLine },
    ...job.teardown.map((p, index) => ({ role: 'teardown' as const, index, ...p })),
  ];

  const written: Written[] = [];
  const sandbox = sess?.sandbox ?? makeSandbox('kb-js-ex-');
  try {
    const dir = moduleDir(job.file);
    let needsTs = false;
    for (const part of parts) {
      const prepared = preparePart(part.code, { lang, file: job.file, expose, imports });
      if (prepared.syntaxError) {
        const exception = syntaxException(job.file, part.firstLine, prepared.syntaxError);
        const durationMs = performance.now() - started;
        if (part.role === 'code') return { status: 'failed', stdout: '', stderr: '', exception, durationMs };
        return { status: 'crashed', stdout: '', stderr: '', durationMs, message: `${partName(part.role, part.firstLine, part.file)} does not parse: ${exception.traceback}` };
      }
      needsTs ||= prepared.needsTs;
      const file = path.join(dir, `ex-${++fileCounter}.mjs`);
      writeFileSync(file, prepared.js);
      written.push({ role: part.role, index: part.index, firstLine: part.firstLine, file, url: pathToFileURL(file).href, prepared, ...(part.file ? { source: part.file } : {}) });
    }
    const spec = { settings: job.settings, request: job.sandbox, readable: [job.root, dir] };
    const outcome = await lane.run({
      parts: written.map((w) => ({ url: w.url, names: w.prepared.names, role: w.role })),
      cut: CUT,
      cwd: sandbox.work,
      home: sandbox.home,
      tmp: sandbox.tmp,
      requireFrom: job.file,
      session: sess !== undefined,
      needsTs,
      timeoutMs: job.timeoutMs,
    }, spec);
    const result = toResult(outcome, written, job, sess?.history);
    sess?.history.push(...written);
    return result;
  } finally {
    for (const w of written) {
      try {
        unlinkSync(w.file);
      } catch {
        // already gone
      }
    }
    if (!sess) sandbox.remove();
    if (job.isolate === 'process') void lane.close();
  }
}

/** Drop a session: its process (globals, event loop), working directory and imports. */
export async function endSession(key: string): Promise<void> {
  const s = sessions.get(key);
  if (!s) return;
  sessions.delete(key);
  await s.lane.close();
  s.sandbox.remove();
}
