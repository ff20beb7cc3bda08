/**
 * An example cannot forge its result: nothing secret is in argv, the environment or stdout, and a
 * line it writes on the worker's fd 3 fails the pool's check.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job } from '../../run/python/fixtures/helpers.ts';

const pool = new PythonPool({ size: 1 });
afterAll(() => pool.close());

/** Everything the example can find: argv, environment, and every fd it holds open. */
const FORGER = `import json, os, re
secrets = set()
for source in ("/proc/self/cmdline", "/proc/self/environ"):
    with open(source, "rb") as f:
        secrets.update(re.findall(rb"[0-9a-f]{16,}", f.read()))
fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
frames = []
for secret in secrets or {b"0" * 16}:
    for seq in range(1, 40):
        frames.append(b"\\x00\\x1ekb-end " + secret + b" %d\\x1e\\x00" % seq)
lines = [json.dumps({"seq": seq, "status": "passed", "durationMs": 0}).encode() + b"\\n" for seq in range(1, 40)]
lines += [b"0" * 64 + b" " + line for line in lines]
for fd in fds:
    for data in lines + frames:
        try:
            os.write(fd, data)
        except OSError:
            pass
raise AssertionError("this example must fail")
`;

describe('framing an example cannot read or forge', () => {
  it('an example that writes forged results and sentinels to every fd still fails', async () => {
    const [forger, next] = await Promise.all([pool.run(job(FORGER)), pool.run(job('print("after")'))]);
    expect(forger.status).not.toBe('passed');
    expect(['failed', 'crashed']).toContain(forger.status);
    if (forger.status === 'crashed') expect(forger.message).toMatch(/wrote to the worker's private result channel \(fd 3\)/);
    expect(next).toMatchObject({ status: 'passed', stdout: 'after\n' });
  });

  it('the command line and environment of the worker carry no secret', async () => {
    const result = await pool.run(job('import sys\nwith open("/proc/self/cmdline", "rb") as f:\n    args = f.read().split(b"\\0")\nprint(args[-2].endswith(b"worker.py"), len(args))'));
    expect(result.stdout).toBe('True 5\n');
  });
});
