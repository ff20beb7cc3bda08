import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job, pids } from './fixtures/helpers.ts';

const pool = new PythonPool();
const savedSecret = process.env.KB_TEST_SECRET;
beforeAll(() => {
  process.env.KB_TEST_SECRET = 'x';
});
afterAll(async () => {
  await pool.close();
  if (savedSecret === undefined) delete process.env.KB_TEST_SECRET;
  else process.env.KB_TEST_SECRET = savedSecret;
});

const WHO = 'import os\nprint(f"pid={os.getpid()}")\n';

/** Run `first` then `second` in one worker; both must report the same worker pid. */
async function inOneWorker(first: string, second: string): Promise<[string, string]> {
  const [a, b] = await Promise.all([pool.run(job(WHO + first)), pool.run(job(WHO + second))]);
  expect(a.status, a.exception?.traceback).toBe('passed');
  expect(b.status, b.exception?.traceback).toBe('passed');
  expect(pids(a.stdout)[0]).toBe(pids(b.stdout)[0]);
  return [a.stdout, b.stdout];
}

describe('isolation between examples in one worker', () => {
  it.each([
    ['files in the working directory', 'open("note.txt", "w").write("hi")\nprint(os.listdir("."))', 'print(os.listdir("."), os.path.exists("note.txt"))', "['note.txt']", '[] False'],
    ['globals', 'secret_global = 1\nimport json', 'print("secret_global" in globals(), "json" in globals(), __name__)', '', 'False False __main__'],
    ['environment changes', 'os.environ["KB_LEAK"] = "1"\ndel os.environ["LANG"]', 'print(os.environ.get("KB_LEAK"), os.environ.get("LANG"))', '', 'None C.UTF-8'],
    ['sys.path and sys.argv', 'import sys\nsys.path.insert(0, "/kb-nowhere")\nsys.argv.append("--flag")', 'import sys\nprint("/kb-nowhere" in sys.path, sys.argv)', '', "False ['']"],
    ['the working directory itself', 'os.chdir("/")', 'print(os.getcwd() != "/")', '', 'True'],
    ['a module written and imported from the cwd', 'open("kbmod.py", "w").write("V = 1")\nimport kbmod\nprint(kbmod.V)', 'open("kbmod.py", "w").write("V = 2")\nimport kbmod\nprint(kbmod.V)', '1', '2'],
    ['warning filters', 'import warnings\nwarnings.simplefilter("error")', 'import warnings\nwarnings.warn("just a warning")\nprint("went on")', '', 'went on'],
    ['a replaced sys.stdout', 'import sys, io\nsys.stdout = io.StringIO()', 'print("visible")', '', 'visible'],
  ])('does not share %s', async (_name, first, second, firstOut, secondOut) => {
    const [a, b] = await inOneWorker(first, second);
    expect(a).toContain(firstOut);
    expect(b).toContain(secondOut);
  });

  it('logging.basicConfig in a later example still takes effect', async () => {
    const [, b] = await Promise.all([
      pool.run(job('import logging\nlogging.basicConfig(level=logging.ERROR)')),
      pool.run(job('import logging\nlogging.basicConfig(level=logging.INFO, format="%(message)s")\nlogging.info("configured")')),
    ]);
    expect(b.stderr).toBe('configured\n');
  });

  it('gives each example its own empty temp directory as cwd and HOME', async () => {
    const result = await pool.run(job('import os, pathlib, tempfile\ncwd = os.getcwd()\nprint(cwd == os.environ["HOME"] == str(pathlib.Path.home()), os.listdir(cwd), cwd.startswith(os.path.dirname(tempfile.gettempdir())))'));
    expect(result.stdout).toBe('True [] True\n');
  });

  it('does not pass secrets from the parent environment, not even to child processes', async () => {
    expect(process.env.KB_TEST_SECRET).toBe('x');
    const result = await pool.run(job('import os, subprocess\nprint(os.environ.get("KB_TEST_SECRET"))\nsubprocess.run("env", shell=True)'));
    expect(result.status).toBe('passed');
    expect(result.stdout.split('\n')[0]).toBe('None');
    expect(result.stdout).not.toContain('KB_TEST_SECRET');
    const names = result.stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split('=')[0]).sort();
    expect(names).not.toContain('PYTHONPATH');
    expect(names).toEqual(expect.arrayContaining(['HOME', 'LANG', 'LC_ALL', 'PATH', 'PYTHONHASHSEED', 'PYTHONIOENCODING']));
  });

  it('runs `python3` in a subprocess as the same interpreter', async () => {
    const result = await pool.run(job('import subprocess, sys\nout = subprocess.run(["python3", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True).stdout.strip()\nprint(out == sys.executable)'));
    expect(result.stdout).toBe('True\n');
  });
});
