/**
 * The controller of a warm shell lane (lane.ts): runs inside the lane's sandbox
 * (its own PID namespace and size-limited private /tmp), reads one JSON request
 * per line on stdin and answers with JSON lines on stdout.
 *
 *   {id, op: 'run', argv, cwd, env, dirs, files, collect}
 *     makes `dirs` (in the private /tmp), writes `files`, runs argv (prlimit … bash …)
 *     in its own process group with empty stdin (fd 3 a pipe held open while it runs), streams {id, type: 'out'|'err', b64}
 *     and ends with {id, type: 'exit', code, signal, files} where `files` holds the
 *     text of each `collect` path (null when missing): marker and state files travel
 *     over this channel, never through a host folder. When bash exits, every other
 *     process of the namespace (all but pid 1 and this controller) is killed and
 *     waited for, so nothing of an example outlives it; `leftover` (a count) says
 *     some would not go in time, and the host then ends the whole lane.
 *   {id, op: 'remove', dirs}   removes an example's (or a session's) folders.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import readline from 'node:readline';
import { killAllUntilGone } from './reap.mjs';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/**
 * SIGKILL everything in the namespace but the init (pid 1) and this controller, and wait until it
 * is gone (reap.mjs). Returns how many processes were still there at the deadline.
 */
function killOthers() {
  // Only in a PID namespace of our own, whose init is bubblewrap: never sweep a host's processes.
  if (!insideSandbox) return 0;
  return killAllUntilGone({ spare: [1, process.pid] }).length;
}

const insideSandbox = readOrNull('/proc/1/comm')?.trim() === 'bwrap';

function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function run(request) {
  const { id } = request;
  try {
    for (const dir of request.dirs ?? []) mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(request.files ?? {})) writeFileSync(file, text);
  } catch (e) {
    send({ id, type: 'spawn-error', error: e.message });
    return Promise.resolve();
  }
  const [command, ...args] = request.argv;
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: request.cwd, env: request.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    // fd 3: the prelude's watchdog reads it and kills the example's group at EOF (this controller gone).
    child.stdio[3].on('error', () => {});
    let open = 2;
    let exited = false;
    let leftover = 0;
    const done = () => {
      if (!exited || open > 0) return;
      const files = {};
      for (const file of request.collect ?? []) files[file] = readOrNull(file);
      send({ id, type: 'exit', code: child.exitCode, signal: child.signalCode, files, ...(leftover > 0 ? { leftover } : {}) });
      resolve();
    };
    const stream = (name) => (chunk) => send({ id, type: name, b64: chunk.toString('base64') });
    child.stdout.on('data', stream('out'));
    child.stderr.on('data', stream('err'));
    for (const s of [child.stdout, child.stderr]) {
      s.on('close', () => {
        open--;
        done();
      });
    }
    child.on('error', (e) => {
      send({ id, type: 'spawn-error', error: e.message });
      exited = true;
      open = 0;
      resolve();
    });
    child.on('exit', () => {
      exited = true;
      child.stdio[3].destroy();
      leftover = killOthers(); // background processes, setsid or not, which may hold the pipes open
      done();
    });
  });
}

let queue = Promise.resolve();
const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  const request = JSON.parse(line);
  queue = queue.then(async () => {
    if (request.op === 'run') return run(request);
    if (request.op === 'remove') {
      for (const dir of request.dirs ?? []) rmSync(dir, { recursive: true, force: true });
      send({ id: request.id, type: 'done' });
    }
  });
});
// The host closed the channel: the lane ends (bwrap's init then kills what is left).
input.on('close', () => queue.then(() => process.exit(0)));
