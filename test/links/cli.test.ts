/** `kb links`: output format, exit codes (0, 1, 2), arguments. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLinksCli } from '../../src/links/index.ts';
import { parseArgs, parseDuration, UsageError } from '../../src/links/cli/args.ts';
import { expectedLines, fixtureRoot, linksScript, tsx } from './helpers.ts';

function cli(args: string[], cwd = fixtureRoot, env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [linksScript, 'links', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env, KB_LINKS_EXTERNAL: env.KB_LINKS_EXTERNAL ?? '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function inProcess(args: string[], cwd = fixtureRoot, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runLinksCli(args, { cwd, env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'kb-links-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('links CLI (a real process)', () => {
  it('prints every problem as file:line:column: reason [rule-id] and exits 1', () => {
    const { code, stdout, stderr } = cli([]);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual(expectedLines());
    expect(stderr).toMatch(/links: 32 errors, 0 warnings in 6 notes/);
  });

  it('exits 0 and prints nothing on stdout when all links are good', () => {
    const { code, stdout } = cli(['notes/python/asyncio.md', 'notes/python/how-to']);
    expect(stdout).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 on an unknown flag, naming it', () => {
    const { code, stderr, stdout } = cli(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --bogus/);
    expect(stdout).toBe('');
  });
});

describe('links CLI (in process)', () => {
  it('checks only the given notes and folders', async () => {
    const { code, stdout } = await inProcess(['notes/refs.md']);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual(expectedLines().filter((line) => line.startsWith('notes/refs.md:')));
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['--ttl', 'soon'], ['--timeout'], ['--per-host', '0'], ['no/such/file.md'], ['--external=yes'], ['-x']]) {
      const { code, stderr } = await inProcess(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/^links: /);
    }
  });

  it('prints help with exit 0', async () => {
    const { code, stdout } = await inProcess(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--external[\s\S]*KB_LINKS_EXTERNAL=1[\s\S]*--cache FILE[\s\S]*--ttl[\s\S]*--ignore PATTERN/);
  });

  it('gives the same output with --full-parse', async () => {
    const { stdout } = await inProcess(['--full-parse']);
    expect(stdout.trimEnd().split('\n')).toEqual(expectedLines());
  });

  it('is offline unless asked: web links in a note are not fetched', async () => {
    const root = path.join(scratch, 'offline');
    mkdirSync(path.join(root, 'notes'), { recursive: true });
    // Port 9 on 127.0.0.1 (discard) is never contacted: if it were, the run would report it unreachable.
    writeFileSync(path.join(root, 'notes/a.md'), '# A\n\n[web](http://127.0.0.1:9/x)\n');
    const offline = await inProcess([], root, { KB_LINKS_EXTERNAL: '0' });
    expect(offline.code).toBe(0);
    expect(offline.stderr).toMatch(/offline/);
  });
});

describe('argument parsing', () => {
  it('reads durations with units; a bare number is seconds', () => {
    expect(parseDuration('500ms', '--timeout')).toBe(500);
    expect(parseDuration('10s', '--timeout')).toBe(10_000);
    expect(parseDuration('24h', '--ttl')).toBe(86_400_000);
    expect(parseDuration('2', '--ttl')).toBe(2000);
    expect(() => parseDuration('1 week', '--ttl')).toThrow(UsageError);
  });

  it('accepts --flag value and --flag=value, repeats --ignore, and stops at --', () => {
    const options = parseArgs(['--external', '--ignore', '*.internal', '--ignore=/^https:\\/\\/x/', '--cache=c.json', '--', '--not-a-flag.md']);
    expect(options).toMatchObject({ external: true, ignore: ['*.internal', '/^https:\\/\\/x/'], cacheFile: 'c.json', paths: ['--not-a-flag.md'] });
    expect(parseArgs(['--no-cache']).cacheFile).toBe(false);
  });
});
