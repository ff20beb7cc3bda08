/**
 * Atomic file writes: the data goes to a temporary file in the SAME directory
 * (so the rename never crosses a file system), which is flushed and then
 * renamed over the target. A reader sees either the old bytes or the new ones,
 * never half a file. An existing file's mode is kept; a new file gets the
 * default mode (0o666 less the umask) unless `mode` is given.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

export interface AtomicWriteOptions {
  /** Mode for a file that does not exist yet. An existing file always keeps its own mode. */
  mode?: number;
  /** Flush the data to disk before the rename (default true). */
  fsync?: boolean;
}

/** Unique to this module instance (a thread, a vitest module graph), so a counter suffices after it. */
const INSTANCE = `${process.pid}.${threadId}.${randomBytes(6).toString('hex')}`;
let counter = 0;

/**
 * The temporary path used for `target`: hidden, same directory, unique per call (a random suffix
 * per call cost ~0.15 ms, most of a small cache entry's write).
 */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${INSTANCE}.${++counter}.tmp`);
}

function existingMode(target: string): number | undefined {
  try {
    return statSync(target).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write `data` (a string is written as UTF-8) to `target` atomically. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = existingMode(target) ?? options.mode;
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', mode ?? 0o666);
  let renamed = false;
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      if (options.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        // the temporary file is already gone
      }
    }
  }
}

/** Promise version of `writeFileAtomicSync`. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  let mode: number | undefined;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mode = options.mode;
  }
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', mode ?? 0o666);
  let renamed = false;
  try {
    try {
      if (mode !== undefined) await chmod(temp, mode);
      await handle.writeFile(data);
      if (options.fsync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}
