/**
 * `kb update` writes an example's output into its note: output from a worker whose state an
 * earlier example changed must never get there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const fence = '```';

const NOTE = [
  '# Examples after a polluting one',
  '',
  `${fence}python`,
  'import builtins, decimal, sys, types',
  'builtins.print = lambda *args, **kwargs: sys.stdout.write(" ".join(map(str, args)) + " (polluted)\\n")',
  'decimal.DefaultContext.prec = 3',
  'sys.modules["json"] = types.ModuleType("json")',
  'sys.modules["json"].dumps = lambda value: "polluted json"',
  fence,
  '',
  `${fence}python`,
  'import decimal, json',
  'print(json.dumps({"a": 1}))',
  'print(decimal.Decimal(2) / 3)',
  fence,
  '',
  `${fence}output`,
  '{"a": 1}',
  '0.6666666666666666666666666667',
  fence,
  '',
].join('\n');

describe('update after a polluting example', () => {
  it('leaves an innocent example\'s correct output block alone', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-state-update-'));
    try {
      mkdirSync(path.join(root, 'notes'));
      const file = path.join(root, 'notes', 'innocent.md');
      writeFileSync(file, NOTE);
      const tsx = path.resolve('node_modules/.bin/tsx');
      const result = spawnSync(tsx, [path.resolve('src/cli/bin.ts'), 'update', '--root', root], { encoding: 'utf8' });
      expect(result.stdout).toContain('updated 0 of 1 note(s)');
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(NOTE);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
