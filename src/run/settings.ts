/**
 * Everything the run stage needs to know about its surroundings, resolved once
 * (from the configuration and the environment overrides) into plain data and
 * passed down. No module below reads `process.env`.
 */
import { DEFAULT_LIMITS, type Limits } from './sandbox/limits.ts';

export type SandboxMode = 'auto' | 'required' | 'off';

export interface RunSettings {
  /** The Python command: `KB_PYTHON` / config `python`, else `python3` (resolved to its real executable later). */
  python: string;
  /** Whether `python` was named explicitly (messages then name KB_PYTHON). */
  pythonFromEnv: boolean;
  /** PATH used to find `python3` and `bash`. */
  path: string;
  /** The bash that runs `sh` and `console` examples. */
  bash: string;
  /** `auto`: bubblewrap when it works, else a warning; `required`: fail without it; `off`: never. */
  sandbox: SandboxMode;
  /** Path of the bubblewrap binary. */
  bwrap: string;
  /** Whether examples may use the network by default. */
  network: boolean;
  limits: Limits;
  /** Variables of the parent that examples may see (the allow-list, with their values). */
  parentEnv: Record<string, string>;
  /**
   * The whole environment of the run, only for the trusted probe of the interpreter (a
   * pyenv shim needs its variables to find the real one); never given to an example.
   */
  hostEnv: Record<string, string>;
}

/** What the configuration (src/config) hands to the run stage; every field optional. */
export interface RunConfig {
  python?: string;
  bash?: string;
  sandbox?: SandboxMode;
  bwrap?: string;
  network?: boolean;
  limits?: Partial<Limits>;
}

/** Environment variables the run stage takes over the configuration. */
export const ENV_OVERRIDES = ['KB_PYTHON', 'KB_BASH', 'KB_SANDBOX'] as const;

const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'required', 'off'];

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Parent variables an example may see; everything else (tokens, CI secrets, PYTHONPATH) stays out. */
export const ENV_ALLOWLIST: readonly string[] = [
  'PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ',
  // Windows needs these for the C runtime, sockets and subprocesses.
  'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT',
];

/** Build the settings from a configuration and an environment (read here, once). */
export function runSettings(config: RunConfig = {}, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const fromEnv = env['KB_PYTHON'] !== undefined && env['KB_PYTHON'] !== '';
  const sandbox = (env['KB_SANDBOX'] || config.sandbox || 'auto') as SandboxMode;
  if (!SANDBOX_MODES.includes(sandbox)) {
    const source = env['KB_SANDBOX'] ? 'KB_SANDBOX' : '`sandbox` in the configuration';
    throw new SettingsError(`${source} is "${sandbox}"; use one of ${SANDBOX_MODES.map((m) => `"${m}"`).join(', ')}`);
  }
  const parentEnv: Record<string, string> = {};
  for (const name of ENV_ALLOWLIST) {
    const value = env[name];
    if (value !== undefined) parentEnv[name] = value;
  }
  return {
    python: fromEnv ? (env['KB_PYTHON'] as string) : (config.python ?? 'python3'),
    pythonFromEnv: fromEnv || config.python !== undefined,
    path: env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    bash: env['KB_BASH'] || config.bash || 'bash',
    sandbox,
    bwrap: config.bwrap ?? 'bwrap',
    network: config.network ?? false,
    limits: { ...DEFAULT_LIMITS, ...config.limits },
    parentEnv,
    hostEnv: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

let current: RunSettings | undefined;

/**
 * The settings of this process's run. Set once by whoever starts the run (the vitest
 * runtime from what global setup resolved, a script, a test); computed from the
 * environment on first use otherwise.
 */
export function activeSettings(): RunSettings {
  current ??= runSettings();
  return current;
}

export function useSettings(settings: RunSettings): void {
  current = settings;
}

/** The sandbox of an example that asks for nothing special. */
export function defaultSandbox(settings: RunSettings): { network: boolean; limits: Limits } {
  return { network: settings.network, limits: { ...settings.limits } };
}
