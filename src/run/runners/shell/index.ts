/**
 * `sh` and `console` jobs: one bash process per example, in its own process
 * group, temp working directory, private HOME/TMPDIR and an allow-listed
 * environment, with empty stdin. In a sandbox the bash runs in a warm lane
 * (lane.ts: folders in the lane's private /tmp, markers and state sent back
 * over its channel); without one, as a process of its own (shell/sandbox.ts).
 *
 * sh       `bash -euo pipefail`; stdout/stderr captured (1 MiB each); the
 *          exit status is reported and a non-zero one fails the job (the
 *          engine accepts it when the author wrote `exit=N`). Code sits on its
 *          note lines, so `$LINENO` and bash's `note.md: line N:` messages
 *          point into the note.
 * console  cram-like transcript run in ONE plain bash (no -e/-u/pipefail, as
 *          an interactive shell), stderr merged into stdout; a sentinel with
 *          the exit status ends each command's output. Every mismatch becomes
 *          a `doctestFailures` entry at its `$ ` prompt line.
 *
 * Setup parts run in the same script before the code, with their output
 * discarded (stderr kept to explain a failing setup). Teardown parts run
 * afterwards in a second bash that starts from the state the code left
 * (variables, functions, cwd). Sessions: blocks sharing a session key share
 * one working directory, and each block starts from the state the previous
 * one left (exported or not), saved by an EXIT handler — a persistent shell
 * is not used, so background processes do not survive their block.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CodePart } from '../../../plan/types.ts';
import type { CodeJob } from '../index.ts';
import type { PromptFailure, RunResult } from '../../result.ts';
import { bytes, makeSandbox, runProcess, seconds, type ProcessOptions, type ProcessRun, type Sandbox } from './sandbox.ts';
import { exampleEnv } from '../../sandbox/env.ts';
import { useBwrap } from '../../sandbox/launcher.ts';
import { acquireLane, Lane, type LaneShape } from './lane.ts';
import { explainLimits, type LimitName } from '../../sandbox/explain.ts';
import { resolvePython } from '../python/interpreter.ts';
import { codeLines, layout, PRELUDE, quote, remapLines, type Chunk } from './script.ts';
import { outputMatches, parseTranscript, splitOutput, type Command } from './transcript.ts';


interface ShellSession {
  sandbox: Sandbox;
  /** The session's own lane, when examples run in bubblewrap. */
  lane?: Lane;
  /** State file written by the last block, if any. */
  state?: string;
  runs: number;
}

const sessions = new Map<string, ShellSession>();

interface Place {
  sandbox: Sandbox;
  /** Where bash runs: a warm lane (sandboxed), or a process of its own (no sandbox). */
  lane?: Lane;
  releaseLane?: () => void;
  /** The configured interpreter's real executable, first on PATH; undefined when there is none. */
  python?: string;
  /** A cgroup limit one of its processes ran into. */
  seen?: { hit?: LimitName };
  session?: ShellSession;
  /** Unique per run inside the sandbox (meta file names). */
  n: number;
}

/** `python3` in a shell example is the configured interpreter, not whatever PATH finds first. */
async function pythonOf(job: CodeJob): Promise<string | undefined> {
  return resolvePython(job.settings).then((info) => info.executable, () => undefined);
}

function laneShape(job: CodeJob, python: string | undefined): LaneShape {
  return {
    settings: job.settings,
    request: job.sandbox,
    readable: [job.root, ...(python ? [path.dirname(path.dirname(python))] : [])],
    env: exampleEnv(job.settings, { home: '/tmp', tmp: '/tmp', hashSeed: job.hashSeed }),
  };
}

/** An example's folders in a lane's private /tmp; `remove` asks the lane to delete them. */
function laneFolders(lane: Lane): Sandbox {
  const set = lane.folderSet();
  return { ...set, remove: () => lane.remove([set.base]) };
}

async function place(job: CodeJob, seen: { hit?: LimitName }): Promise<Place> {
  const python = await pythonOf(job);
  const extra = { seen, ...(python ? { python } : {}) };
  const sandboxed = useBwrap(job.settings);
  if (job.session !== undefined && job.isolate !== 'process') {
    let session = sessions.get(job.session);
    if (session?.lane?.dead) {
      // Its lane was killed (timeout, runaway output): the session starts again from nothing.
      sessions.delete(job.session);
      session = undefined;
    }
    if (!session) {
      if (sandboxed) {
        const lane = new Lane(laneShape(job, python));
        session = { sandbox: laneFolders(lane), lane, runs: 0 };
      } else {
        session = { sandbox: makeSandbox('kb-sh-'), runs: 0 };
        writeFileSync(path.join(session.sandbox.meta, 'prelude.sh'), PRELUDE);
      }
      sessions.set(job.session, session);
    }
    return { sandbox: session.sandbox, session, n: ++session.runs, ...(session.lane ? { lane: session.lane } : {}), ...extra };
  }
  if (sandboxed) {
    const { lane, release } = await acquireLane(laneShape(job, python));
    return { sandbox: laneFolders(lane), lane, releaseLane: release, n: 1, ...extra };
  }
  const sandbox = makeSandbox('kb-sh-');
  writeFileSync(path.join(sandbox.meta, 'prelude.sh'), PRELUDE);
  return { sandbox, n: 1, ...extra };
}

/** How one bash of an example starts without a sandbox: its folders, the one environment and its limits. */
function processOptions(job: CodeJob, p: Place): ProcessOptions {
  const python = p.python;
  return {
    cwd: p.sandbox.work,
    env: exampleEnv(job.settings, { home: p.sandbox.home, tmp: p.sandbox.tmp, hashSeed: job.hashSeed, ...(python ? { python } : {}) }),
    timeoutMs: job.timeoutMs,
    settings: job.settings,
    request: job.sandbox,
    writable: [p.sandbox.base],
    readable: [job.root, ...(python ? [path.dirname(path.dirname(python))] : [])],
    onLimit: (hit) => {
      if (p.seen) p.seen.hit ??= hit;
    },
  };
}

interface ShellRun extends ProcessRun {
  files: Record<string, string | null>;
}

/** Run one bash of an example, in its lane or as a process of its own; `collect` files come back as text. */
async function runBash(job: CodeJob, p: Place, args: string[], collect: Array<string | undefined>): Promise<ShellRun> {
  const wanted = collect.filter((f): f is string => f !== undefined);
  if (p.lane) {
    const s = p.sandbox;
    const options = processOptions(job, p);
    const run = await p.lane.run(
      {
        argv: [job.settings.bash, ...args],
        cwd: s.work,
        env: options.env,
        dirs: [s.work, s.home, s.tmp, s.meta],
        files: { [path.posix.join(s.meta, 'prelude.sh')]: PRELUDE },
        collect: wanted,
        timeoutMs: job.timeoutMs,
      },
      job.sandbox.limits.output,
    );
    if (run.limitHit && p.seen) p.seen.hit ??= run.limitHit;
    return run;
  }
  const run = await runProcess(job.settings.bash, args, processOptions(job, p));
  const files: Record<string, string | null> = {};
  for (const f of wanted) files[f] = existsSync(f) ? readText(f) : null;
  return { ...run, files };
}

function has(run: ShellRun, file: string | undefined): file is string {
  return file !== undefined && typeof run.files[file] === 'string';
}

function release(p: Place): void {
  if (!p.session) p.sandbox.remove();
  p.releaseLane?.();
}

/** The name bash reports in its messages (`$0`): the note, relative to the root. */
function scriptName(job: CodeJob): string {
  const rel = path.relative(job.root, job.file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.basename(job.file);
}

function head(p: Place, vars: { stateIn?: string; stateOut?: string; sentinel?: string }, extra: string): string {
  const meta = p.sandbox.meta;
  return [
    `__KB_META=${quote(meta)}`,
    `__KB_STATE_IN=${quote(vars.stateIn ?? '')}`,
    `__KB_STATE_OUT=${quote(vars.stateOut ?? '')}`,
    `__KB_SENTINEL=${quote(vars.sentinel ?? '')}`,
    `source "$__KB_META/prelude.sh"`,
    extra,
  ]
    .filter(Boolean)
    .join('; ');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function base(run: ProcessRun): Pick<RunResult, 'stdout' | 'stderr' | 'durationMs'> {
  return { stdout: run.stdout, stderr: run.stderr, durationMs: run.durationMs };
}

/** The result of a run that did not end on its own, or undefined when it did. */
function abnormal(run: ProcessRun, job: CodeJob, where = ''): RunResult | undefined {
  const timeoutMs = job.timeoutMs;
  switch (run.end) {
    case 'timeout':
      return { status: 'timeout', ...base(run), message: `timed out after ${seconds(timeoutMs)}${where}; its process group was killed` };
    case 'output-limit':
      return {
        status: 'output-limit',
        ...base(run),
        message: `${run.overflow ?? 'output'} exceeded ${bytes(job.sandbox.limits.output)}${where}; output cut and the process group was killed`,
      };
    case 'spawn-error':
      return { status: 'crashed', ...base(run), message: `could not start ${job.settings.bash}: ${run.error ?? 'unknown error'}` };
    default:
      return undefined;
  }
}

/** Setup parts of a console job may be transcripts; their commands are what runs. */
function setupChunks(parts: CodePart[], runner: CodeJob['runner']): Chunk[] {
  return parts.map((part) => {
    if (runner === 'console') {
      const commands = parseTranscript(part.code, part.firstLine);
      if (commands.length > 0) {
        // Keep each command on its prompt line; output lines become empty lines.
        const lines: string[] = [];
        for (const c of commands) {
          while (part.firstLine + lines.length < c.line) lines.push('');
          lines.push(...c.lines);
        }
        return { lines, firstLine: part.firstLine };
      }
    }
    return { lines: codeLines(part.code), firstLine: part.firstLine };
  });
}

function exitStatus(run: ProcessRun): number {
  if (run.exitCode !== null) return run.exitCode;
  const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (run.signal ? (signals[run.signal] ?? 0) : 0);
}

/** Run the teardown parts from the state the code left; a message when they fail. */
async function teardown(job: CodeJob, p: Place, stateIn: string | undefined, name: string): Promise<string | undefined> {
  if (job.teardown.length === 0) return undefined;
  const stateOut = p.session ? path.join(p.sandbox.meta, `state-${p.n}-teardown`) : undefined;
  const script = layout(
    head(p, { stateIn, stateOut }, ''),
    job.teardown.map((part) => ({ lines: codeLines(part.code), firstLine: part.firstLine })),
  );
  const run = await runBash(job, p, ['-euo', 'pipefail', '-c', script.text, name], [stateOut]);
  if (p.session && has(run, stateOut)) p.session.state = stateOut;
  const bad = abnormal(run, job, ' in teardown');
  if (bad) return bad.message;
  if (exitStatus(run) !== 0) {
    const stderr = remapLines(run.stderr, name, script.lineMap).trimEnd();
    return `teardown failed with exit status ${exitStatus(run)}${stderr ? `\n\n${stderr}` : ''}`;
  }
  return undefined;
}

async function runSh(job: CodeJob, seen: { hit?: LimitName }): Promise<RunResult> {
  const p = await place(job, seen);
  try {
    const meta = p.sandbox.meta;
    const name = scriptName(job);
    const started = path.join(meta, `started-${p.n}`);
    const setupErr = path.join(meta, `setup-${p.n}.err`);
    const needState = p.session !== undefined || job.teardown.length > 0;
    const stateOut = needState ? path.join(meta, `state-${p.n}`) : undefined;
    const hasSetup = job.setup.length > 0;
    const markStarted = `: >${quote(started)}; `;
    const script = layout(
      head(p, { stateIn: p.session?.state, stateOut }, hasSetup ? `exec 4>&1 5>&2 >/dev/null 2>${quote(setupErr)}` : markStarted.trimEnd()),
      [
        ...setupChunks(job.setup, 'sh'),
        { lines: codeLines(job.code), firstLine: job.firstLine, prefix: hasSetup ? `exec 1>&4 2>&5 4>&- 5>&-; ${markStarted}` : undefined },
      ],
    );
    const run = await runBash(job, p, ['-euo', 'pipefail', '-c', script.text, name], [started, setupErr, stateOut]);
    run.stderr = remapLines(run.stderr, name, script.lineMap);
    if (p.session && has(run, stateOut)) p.session.state = stateOut;
    const bad = abnormal(run, job);
    if (bad) return bad;
    const status = exitStatus(run);
    if (!has(run, started)) {
      const why = remapLines(run.files[setupErr] ?? '', name, script.lineMap).trimEnd();
      return { status: 'crashed', ...base(run), exitCode: status, message: `setup failed with exit status ${status}${why ? `\n\n${why}` : ''}` };
    }
    const teardownProblem = await teardown(job, p, stateOut, name);
    const result: RunResult = { status: status === 0 ? 'passed' : 'failed', ...base(run), exitCode: status };
    if (status !== 0) {
      const signal = run.signal ? ` (killed by ${run.signal})` : '';
      result.message = `exit status ${status}${signal}`;
    }
    return withTeardown(result, teardownProblem);
  } finally {
    release(p);
  }
}

// ---------------------------------------------------------------------------
// console

interface CommandOutput {
  text: string;
  status?: number;
  ran: boolean;
}

/** Split the merged output at the sentinels: one entry per command. */
function splitBySentinel(stdout: string, sentinel: string, count: number, finalStatus: number | undefined): CommandOutput[] {
  const outputs: CommandOutput[] = [];
  const marker = new RegExp(`\\n${sentinel} (\\d+) (\\d+)\\n`, 'g');
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(stdout)) !== null && outputs.length < count) {
    outputs.push({ text: stdout.slice(from, m.index), status: Number(m[2]), ran: true });
    from = m.index + m[0].length;
  }
  if (outputs.length < count) {
    // The shell ended (or was killed) during this command.
    outputs.push({ text: stdout.slice(from), ran: true, ...(finalStatus !== undefined ? { status: finalStatus } : {}) });
    while (outputs.length < count) outputs.push({ text: '', ran: false });
  }
  return outputs;
}

function expectedText(c: Command): string {
  return [...c.expected, ...(c.exitWritten ? [`[${c.expectedExit}]`] : [])].join('\n');
}

function gotText(lines: string[], status: number | undefined): string {
  return [...lines, ...(status ? [`[${status}]`] : [])].join('\n');
}

async function runConsole(job: CodeJob, seen: { hit?: LimitName }): Promise<RunResult> {
  const commands = parseTranscript(job.code, job.firstLine);
  if (commands.length === 0) {
    return { status: 'failed', stdout: '', stderr: '', durationMs: 0, message: 'this console block has no `$ ` prompt: nothing to run' };
  }
  const p = await place(job, seen);
  try {
    const meta = p.sandbox.meta;
    const sentinel = `__KB_${randomBytes(12).toString('hex')}__`;
    const started = path.join(meta, `started-${p.n}`);
    const setupErr = path.join(meta, `setup-${p.n}.err`);
    const needState = p.session !== undefined || job.teardown.length > 0;
    const stateOut = needState ? path.join(meta, `state-${p.n}`) : undefined;
    const hasSetup = job.setup.length > 0;
    const markStarted = `: >${quote(started)}; `;
    const chunks: Chunk[] = [...setupChunks(job.setup, 'console')];
    commands.forEach((c, i) => {
      const prefix = i === 0 ? (hasSetup ? `set +e; exec 1>&4 2>&1 4>&-; ${markStarted}` : '') : `__kb_mark ${i - 1} $?; __kb_ret "$__kb_last"; `;
      chunks.push({ lines: c.lines, firstLine: c.line, prefix: prefix || undefined });
    });
    const last = commands[commands.length - 1] as Command;
    chunks.push({ lines: [`__kb_mark ${commands.length - 1} $?`], firstLine: undefined });
    const script = layout(
      head(p, { stateIn: p.session?.state, stateOut, sentinel }, `exec 2>&1; ${hasSetup ? `set -e; exec 4>&1 >/dev/null 2>${quote(setupErr)}` : markStarted.trimEnd()}`),
      chunks,
    );
    // `bash` as $0: messages read like an interactive shell's ("bash: foo: command not found").
    const run = await runBash(job, p, ['-c', script.text, 'bash'], [started, setupErr, stateOut]);
    if (p.session && has(run, stateOut)) p.session.state = stateOut;
    const ended = run.end === 'exited' ? exitStatus(run) : undefined;
    // Interactive bash says "bash: foo: command not found"; a script adds "line N: ". Drop it for our own lines.
    const stdout = run.stdout.replace(/^bash: line (\d+): /gm, (whole, n: string) => (script.lineMap.has(Number(n)) ? 'bash: ' : whole));
    const outputs = splitBySentinel(stdout, sentinel, commands.length, ended);
    const visible = outputs.map((o) => o.text).join('');
    if (run.end !== 'exited') {
      const running = commands[outputs.findIndex((o) => o.status === undefined)] ?? last;
      const bad = abnormal(run, job, ` in the command at line ${running.line} (${running.source.split('\n')[0]})`) as RunResult;
      return { ...bad, stdout: visible };
    }
    if (hasSetup && !has(run, started)) {
      const why = (run.files[setupErr] ?? '').trimEnd();
      return { status: 'crashed', stdout: visible, stderr: run.stderr, durationMs: run.durationMs, message: `setup failed with exit status ${exitStatus(run)}${why ? `\n\n${why}` : ''}` };
    }
    const options = { ellipsis: job.flags.includes('ellipsis'), normalizeWhitespace: job.flags.includes('normalize-whitespace') };
    const failures: PromptFailure[] = [];
    commands.forEach((c, i) => {
      const out = outputs[i] as CommandOutput;
      const got = splitOutput(out.text);
      if (!out.ran) {
        failures.push({ line: c.line, source: c.source, expected: expectedText(c), got: '', exception: 'not run: the shell exited before this command' });
        return;
      }
      const status = out.status ?? 0;
      if (status !== c.expectedExit || !outputMatches(c.expected, got, options)) {
        failures.push({ line: c.line, source: c.source, expected: expectedText(c), got: gotText(got, status) });
      }
    });
    const teardownProblem = await teardown(job, p, stateOut, scriptName(job));
    const result: RunResult = { status: failures.length > 0 ? 'failed' : 'passed', stdout: visible, stderr: run.stderr, durationMs: run.durationMs };
    if (failures.length > 0) result.doctestFailures = failures;
    return withTeardown(result, teardownProblem);
  } finally {
    release(p);
  }
}

export async function run(job: CodeJob): Promise<RunResult> {
  const seen: { hit?: LimitName } = {};
  const result = job.runner === 'console' ? await runConsole(job, seen) : await runSh(job, seen);
  return explainLimits(result, job.sandbox.limits, seen.hit);
}

/** Forget a session: its working directory and saved state are removed. */
export async function endSession(session: string): Promise<void> {
  const s = sessions.get(session);
  if (!s) return;
  sessions.delete(session);
  s.sandbox.remove();
  s.lane?.kill();
}

/** A teardown failure crashes a block that passed (so `raises=` can never match it); otherwise it is appended to stderr. */
function withTeardown(result: RunResult, problem: string | undefined): RunResult {
  if (!problem) return result;
  if (result.status === 'passed') return { ...result, status: 'crashed', message: problem };
  return { ...result, stderr: `${result.stderr}\n[teardown] ${problem}\n` };
}
