/**
 * What every cached note result depends on besides the note and its own
 * dependencies: the engine (its version and the files it is built from, so a
 * development checkout invalidates on every edit of the engine), the
 * configuration, and the list of notes (a link to a note is checked
 * differently from a link to any other file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digest } from './fingerprint.ts';

/** The engine's own folder: `src/` in a checkout, `dist/` when installed. */
const engineDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let engine: string | undefined;

/** Version + every engine file's path, size and mtime (a stat each, once per process). */
export function engineFingerprint(): string {
  if (engine !== undefined) return engine;
  const parts: string[] = [];
  try {
    parts.push(readFileSync(path.join(engineDir, '..', 'package.json'), 'utf8'));
  } catch {
    parts.push('no package.json');
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const stats = statSync(full);
        parts.push(`${path.relative(engineDir, full)}:${stats.size}:${stats.mtimeMs}`);
      }
    }
  };
  walk(engineDir);
  return (engine = digest(...parts.sort()));
}

/** A stable text of a configuration: keys sorted; functions and regexps by their source. */
export function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'function' || v instanceof RegExp) return String(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function cacheSalt(parts: { config: unknown; notes: readonly string[]; extra?: string }): string {
  return digest(engineFingerprint(), stableText(parts.config), ...parts.notes, parts.extra ?? '');
}
