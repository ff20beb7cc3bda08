/**
 * The one module that reads the environment. Environment variables are for a
 * run's owner (CI, a developer's shell) to override the project's settings
 * without editing them, so they win over every configuration file.
 */
import type { ConfigProblem, SandboxMode } from './schema.ts';

export interface EnvOverrides {
  python?: string;
  bash?: string;
  sandbox?: SandboxMode;
  strict?: boolean;
  debug?: boolean;
  linksExternal?: boolean;
}

/** The variables this tool reads, with what they set (for `--help` texts and the README). */
export const ENV_VARIABLES: Record<string, string> = {
  KB_PYTHON: 'the Python interpreter (command or path)',
  KB_BASH: 'the bash that runs sh and console examples',
  KB_SANDBOX: 'auto, required or off',
  KB_STRICT: '1: cited-only and no-evidence claims fail',
  KB_DEBUG: '1: internal errors show their stack trace',
  KB_LINKS_EXTERNAL: '1: also check http(s) links',
};

const TRUE = /^(?:1|true|yes|on)$/i;
const FALSE = /^(?:0|false|no|off|)$/i;

export function readEnv(env: NodeJS.ProcessEnv = process.env): { overrides: EnvOverrides; problems: ConfigProblem[] } {
  const overrides: EnvOverrides = {};
  const problems: ConfigProblem[] = [];
  const text = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const flag = (name: string): boolean | undefined => {
    const value = env[name];
    if (value === undefined) return undefined;
    if (TRUE.test(value)) return true;
    if (FALSE.test(value)) return false;
    problems.push({ path: name, message: `${name}=${value} is not understood; use 1 or 0`, ruleId: 'config-invalid-value' });
    return undefined;
  };
  overrides.python = text('KB_PYTHON');
  overrides.bash = text('KB_BASH');
  const sandbox = text('KB_SANDBOX');
  if (sandbox !== undefined) {
    if (sandbox === 'auto' || sandbox === 'required' || sandbox === 'off') overrides.sandbox = sandbox;
    else problems.push({ path: 'KB_SANDBOX', message: `KB_SANDBOX=${sandbox} is not understood; use auto, required or off`, ruleId: 'config-invalid-value' });
  }
  overrides.strict = flag('KB_STRICT');
  overrides.debug = flag('KB_DEBUG');
  overrides.linksExternal = flag('KB_LINKS_EXTERNAL');
  for (const key of Object.keys(overrides) as (keyof EnvOverrides)[]) if (overrides[key] === undefined) delete overrides[key];
  return { overrides, problems };
}
