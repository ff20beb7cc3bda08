/**
 * A Python example's temp folder (TMPDIR, tempfile.gettempdir()) is its own: a file one example
 * leaves there is gone when the next example in the same worker runs; a session keeps its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../src/run/runners/python/pool.ts';
import { job } from '../run/python/fixtures/helpers.ts';

const pool = new PythonPool({ size: 1 });
afterAll(() => pool.close());

const WHO = 'with open("/proc/self/stat") as _f:\n    _stat = _f.read()\nprint("worker", _stat.split()[0], _stat.rsplit(")", 1)[1].split()[19])\n';

describe('the temp folder of a Python example', () => {
  it('a file left in tempfile.gettempdir() (and under TMPDIR) is not seen by the next example in the same worker', async () => {
    const leave = `${WHO}import os, tempfile
open(os.path.join(tempfile.gettempdir(), 'kb-left.txt'), 'w').write('x')
os.makedirs(os.path.join(os.environ['TMPDIR'], 'kb-dir', 'deep'))
fd, name = tempfile.mkstemp()
os.chmod(os.environ['TMPDIR'], 0o755)
print(os.environ['TMPDIR'] == tempfile.gettempdir(), os.path.dirname(name) == tempfile.gettempdir())`;
    const look = `${WHO}import os, tempfile
print(sorted(os.listdir(tempfile.gettempdir())), os.environ['TMPDIR'] == tempfile.gettempdir(), oct(os.stat(tempfile.gettempdir()).st_mode & 0o777))`;
    const [first, second] = await Promise.all([pool.run(job(leave)), pool.run(job(look))]);
    expect(first.status).toBe('passed');
    expect(first.stdout.split('\n')[1]).toBe('True True');
    expect(second.stdout.split('\n')[0]).toBe(first.stdout.split('\n')[0]); // the same worker
    expect(second.stdout.split('\n')[1]).toBe("[] True 0o700");
  });

  it('an example that points tempfile.tempdir elsewhere does not move the next example\'s', async () => {
    const [first, second] = await Promise.all([
      pool.run(job(`${WHO}import tempfile\ntempfile.tempdir = '/'\nprint(tempfile.gettempdir())`)),
      pool.run(job(`${WHO}import tempfile, os\nprint(tempfile.gettempdir() == os.environ['TMPDIR'] != '/')`)),
    ]);
    expect(first.stdout.split('\n')[1]).toBe('/');
    expect(second.stdout.split('\n')[0]).toBe(first.stdout.split('\n')[0]);
    expect(second.stdout.split('\n')[1]).toBe('True');
  });
});
