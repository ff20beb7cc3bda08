/** Limits and network, per note (front matter) and per example (info string): parsed, validated, merged. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPlan } from '../../src/plan/extract.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';
import { formatSize, GiB, MiB, parseSize } from '../../src/run/sandbox/limits.ts';

const root = '/repo';
const plan = (text: string) => extractPlan(noteFromText(path.join(root, 'notes/x.md'), text, { root }), { root });
const examples = (text: string) => plan(text).items.filter((i): i is ExamplePlan => i.kind === 'example');
function problems(text: string): string[] {
  const note = noteFromText(path.join(root, 'notes/x.md'), text, { root });
  extractPlan(note, { root });
  return note.file.messages.map((m) => m.reason);
}

describe('sizes', () => {
  it.each([
    ['1G', GiB], ['512M', 512 * MiB], ['1.5GiB', 1.5 * GiB], ['64k', 64 * 1024], ['300', 300], ['2 GB', 2 * GiB],
  ])('%s is %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(['', 'lots', '-1G', '0', '1T', 'G'])('%j is not a size', (text) => expect(parseSize(text)).toBeUndefined());
  it.each([[GiB, '1 GiB'], [256 * MiB, '256 MiB'], [1.5 * GiB, '1.5 GiB'], [1000, '1000 bytes']])('%d bytes read %s', (n, text) => expect(formatSize(n)).toBe(text));
});

describe('per example', () => {
  it('reads network and the limits from the info string', () => {
    const [ex] = examples('```python network memory=4G processes=512 filesize=1G disk=2G\npass\n```\n');
    expect(ex?.options.network).toBe(true);
    expect(ex?.options.limits).toEqual({ memory: 4 * GiB, processes: 512, fileSize: GiB, diskSize: 2 * GiB });
  });
  it('rejects a size it cannot read, naming the option', () => {
    expect(problems('```sh memory=lots\ntrue\n```\n').join('\n')).toMatch(/option `memory` needs a size such as `memory=512M` or `memory=2G`/);
  });
  it('rejects a value on the network flag', () => {
    expect(problems('```sh network=yes\ntrue\n```\n').join('\n')).toMatch(/option `network` is a flag and takes no value/);
  });
});

describe('per note', () => {
  it('reads front matter', () => {
    expect(plan('---\nnetwork: true\nmemory: 2G\ndisk: 1G\n---\n# T\n').sandbox).toEqual({ network: true, limits: { memory: 2 * GiB, diskSize: GiB } });
  });
  it('rejects values it cannot read', () => {
    const text = '---\nnetwork: sometimes\nmemory: lots\n---\n# T\n';
    const file = noteFromText(path.join(root, 'notes/x.md'), text, { root });
    extractPlan(file, { root });
    const messages = file.file.messages.map((m) => m.reason).join('\n');
    expect(messages).toMatch(/`network` in front matter must be `true` or `false`/);
    expect(messages).toMatch(/`memory` in front matter needs a size such as `512M` or `2G`/);
  });
});
