/**
 * The one environment every example starts with, whatever its language: the
 * allow-listed variables of the parent (see settings.ts), a UTF-8 C locale,
 * the configured interpreter first on PATH, a private HOME and TMPDIR, and
 * Python's own switches. Nothing else of the parent (tokens, CI secrets,
 * PYTHONPATH, NODE_OPTIONS) reaches an example.
 */
import path from 'node:path';
import type { RunSettings } from '../settings.ts';

/** Set for every example whatever the parent has. */
export const FIXED_ENV: Readonly<Record<string, string>> = {
  PYTHONIOENCODING: 'utf-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONNOUSERSITE: '1',
};

export interface EnvPlaces {
  home: string;
  tmp: string;
  /** The real Python executable: its folder goes first on PATH (`python3` in a shell example is the configured one). */
  python?: string;
  hashSeed?: string;
}

export function exampleEnv(settings: RunSettings, places: EnvPlaces): Record<string, string> {
  const env: Record<string, string> = { ...settings.parentEnv };
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
  if (places.python) env['PATH'] = `${path.dirname(places.python)}${path.delimiter}${env['PATH']}`;
  env['LANG'] ??= 'C.UTF-8';
  env['LC_ALL'] ??= 'C.UTF-8';
  env['HOME'] = places.home;
  env['TMPDIR'] = env['TEMP'] = env['TMP'] = places.tmp;
  env['PYTHONHASHSEED'] = places.hashSeed ?? '0';
  return { ...env, ...FIXED_ENV };
}
