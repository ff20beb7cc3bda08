/**
 * The runner registry: one function per language that runs code and reports a
 * raw result. Expectations are applied afterwards by `evaluate`, identically
 * for every language.
 */
import type { CodePart, RunnerName } from '../../plan/types.ts';
import type { RunResult } from '../result.ts';
import type { RunSettings } from '../settings.ts';
import { SandboxUnavailableError, useBwrap, type SandboxRequest } from '../sandbox/launcher.ts';
import { explainLimits } from '../sandbox/explain.ts';

export interface CodeJob {
  runner: RunnerName;
  /** Absolute path of the note (tracebacks and stack frames name it). */
  file: string;
  root: string;
  code: string;
  firstLine: number;
  setup: CodePart[];
  teardown: CodePart[];
  timeoutMs: number;
  /** Globally unique session key (note path + session name), if the block belongs to a session. */
  session?: string;
  isolate?: 'process';
  hashSeed: string;
  /** Default doctest/matching flags from the info string (`ellipsis`, `normalize-whitespace`). */
  flags: string[];
  /** The run's settings (interpreter, bash, sandbox mode, defaults). */
  settings: RunSettings;
  /** What this example's sandbox gives it: network or not, its limits (defaults, front matter, options). */
  sandbox: SandboxRequest;
  /** `match=`: a runner that can test it in the example's own language (Python's `re.search`) reports `messageMatches`. */
  match?: string;
}

/** What every language's runner does: run a job, and forget a session's state. */
export interface Runner {
  run(job: CodeJob): Promise<RunResult>;
  /** Drop a session's state (globals, event loop, working folder). */
  endSession?(session: string): Promise<void>;
}

/** @deprecated the module shape of a runner; see `Runner`. */
export type RunnerModule = Runner;

const loaders: Record<RunnerName, () => Promise<RunnerModule>> = {
  python: () => import('./python/index.ts'),
  pycon: () => import('./python/index.ts'),
  js: () => import('./javascript/index.ts'),
  ts: () => import('./javascript/index.ts'),
  sh: () => import('./shell/index.ts'),
  console: () => import('./shell/index.ts'),
};

const loaded = new Map<RunnerName, Promise<RunnerModule>>();

export function runnerModule(name: RunnerName): Promise<RunnerModule> {
  let module = loaded.get(name);
  if (!module) {
    module = loaders[name]();
    loaded.set(name, module);
  }
  return module;
}

export async function runCode(job: CodeJob): Promise<RunResult> {
  try {
    useBwrap(job.settings);
  } catch (error) {
    // `sandbox: 'required'` without a usable bubblewrap: no example runs unsandboxed.
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return { status: 'crashed', stdout: '', stderr: '', durationMs: 0, message: error.message };
  }
  return explainLimits(await (await runnerModule(job.runner)).run(job), job.sandbox.limits);
}
