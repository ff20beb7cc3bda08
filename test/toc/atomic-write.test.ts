import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/fs/atomic-write.ts';
import { tempDir } from './helpers.ts';

describe.each([
  ['sync', async (file: string, data: string) => writeFileAtomicSync(file, data)],
  ['async', (file: string, data: string) => writeFileAtomic(file, data)],
])('writeFileAtomic (%s)', (_name, write) => {
  it('replaces the bytes, keeps the mode and leaves no temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.md');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await write(file, 'new\r\n\uFEFF');
    expect(readFileSync(file, 'utf8')).toBe('new\r\n\uFEFF');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.md']);
  });

  it('creates a file that does not exist yet', async () => {
    const file = path.join(tempDir(), 'b.md');
    await write(file, 'x');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});
