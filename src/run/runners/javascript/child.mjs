// @ts-check
/**
 * The JavaScript/TypeScript example process: forked (detached, own process
 * group) by pool.ts and reused for many examples, one at a time.
 *
 * Plain JavaScript on purpose: it runs in a bare `node`, without loaders.
 *
 * Protocol (IPC): the parent sends {type:'run', ...}; each part of the job is
 * an ES module file imported in order (setup parts, the code, teardown
 * parts). Output is NOT intercepted: it goes to the real fd 1/2 (pipes read by
 * the parent), and after the job a per-job sentinel is written on both, so
 * the parent can cut the streams exactly (process.stdout.write, console.*,
 * and subprocesses writing to inherited fds are all captured alike). Then the
 * result is sent: {type:'result', id, error?, teardownError?, exitCode?, leftover}.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inspect } from 'node:util';

const writeOut = process.stdout.write;
const writeErr = process.stderr.write;
const neutralCwd = process.cwd();

/** @typedef {{ role: 'setup' | 'code' | 'teardown', index: number, type: string, qualifiedNames: string[], message: string, stack: string, async?: boolean }} Raised */

/** @type {{ async: Raised[], waiting: string } | null} */
let current = null;
/** Errors raised asynchronously between jobs (session leftovers): charged to the next job. */
/** @type {Raised[]} */
const orphans = [];

/**
 * @param {unknown} value
 * @returns {Omit<Raised, 'role' | 'index'>}
 */
function describe(value) {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    /** @type {string[]} */
    const chain = [];
    try {
      for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
        const ctor = Object.prototype.hasOwnProperty.call(p, 'constructor') ? p.constructor : undefined;
        const name = typeof ctor === 'function' ? ctor.name : '';
        if (name && !chain.includes(name)) chain.push(name);
      }
    } catch {
      // exotic proxies
    }
    const v = /** @type {{ name?: unknown, message?: unknown, stack?: unknown }} */ (value);
    let name = '';
    let message = '';
    let stack = '';
    try {
      name = typeof v.name === 'string' ? v.name : '';
      message = v.message === undefined ? inspect(value) : String(v.message);
      stack = typeof v.stack === 'string' ? v.stack : '';
    } catch {
      message = '<unprintable>';
    }
    if (name && !chain.includes(name)) chain.push(name);
    return { type: chain[0] ?? (name || 'Object'), qualifiedNames: chain, message, stack };
  }
  return { type: value === null ? 'null' : typeof value, qualifiedNames: [], message: inspect(value), stack: '' };
}

/** @param {unknown} value */
function raisedAsync(value) {
  const raised = { role: /** @type {const} */ ('code'), index: 0, ...describe(value), async: true };
  if (current) current.async.push(raised);
  else orphans.push(raised);
}

// Like a script run by `node`, an error nobody catches ends the example (here: fails it).
process.on('uncaughtException', raisedAsync);
process.on('unhandledRejection', raisedAsync);
// The parent went away (or closed the channel): remove our temp directory (argv[2], made by
// the parent, which may not get to it) and take the whole group down.
process.on('disconnect', () => {
  const own = process.argv[2];
  if (own && path.basename(own).startsWith('kb-js-')) {
    try {
      process.chdir(path.dirname(own));
      fs.rmSync(own, { recursive: true, force: true });
    } catch {
      // left to the OS temp cleaner
    }
  }
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
});

// ---------------------------------------------------------------------------
// Undoing what one example did to the shared realm (not for sessions).

// Primordials: the runner's own handles on the built-ins, taken before any example runs. The
// code that puts the realm back uses only these and index loops, so it works even while an
// example's changes (a replaced Array iterator, a polluted Object.prototype) are still in place.
const { ownKeys, getOwnPropertyDescriptor, defineProperty, deleteProperty, getPrototypeOf, setPrototypeOf, isExtensible } = Reflect;
const is = Object.is;
const bindCall = Function.prototype.bind.bind(Function.prototype.call);
const setHas = bindCall(Set.prototype.has);
const ObjectPrototype = Object.prototype;

/**
 * An own property's descriptor that inherits nothing (a polluted Object.prototype.get must not
 * turn a data descriptor into an accessor one).
 * @param {object} obj @param {PropertyKey} key @returns {PropertyDescriptor | undefined}
 */
function ownDescriptor(obj, key) {
  const d = getOwnPropertyDescriptor(obj, key);
  if (d) setPrototypeOf(d, null);
  return d;
}

/**
 * @param {PropertyDescriptor | undefined} a
 * @param {PropertyDescriptor | undefined} b
 */
function sameDescriptor(a, b) {
  if (!a || !b) return a === b;
  return is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/**
 * Node's built-in modules whose exports an example may monkeypatch (`fs.readFileSync = ...`,
 * `EventEmitter.prototype.emit = ...`): loaded once here so their baseline is known.
 */
const BUILTIN_MODULES = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'http', 'https', 'net', 'os', 'path',
  'querystring', 'readline', 'stream', 'string_decoder', 'timers', 'url', 'util', 'zlib'];

/**
 * Objects of the realm that outlive an example: globalThis, the built-ins reachable from it
 * (constructors, their prototypes, namespaces like Math and JSON, the prototypes behind them),
 * a few intrinsics not reachable by name, the exports of Node's common built-in modules and the
 * EventEmitter and stream classes.
 * @returns {object[]}
 */
function realmObjects() {
  const require = createRequire(import.meta.url);
  /** @type {Set<object>} */
  const seen = new Set();
  /** An object, the prototypes behind it and its own `prototype`. @param {unknown} value */
  const visit = (value) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(/** @type {object} */ (value));
    visit(Object.getPrototypeOf(value));
    visit(Object.getOwnPropertyDescriptor(value, 'prototype')?.value);
  };
  /** Also the values of its own data properties (namespaces: Math, JSON, Intl, fs.promises). @param {unknown} value */
  const visitMembers = (value) => {
    visit(value);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
    for (const d of Object.values(Object.getOwnPropertyDescriptors(value))) {
      if (typeof d.value === 'function' || (d.value && typeof d.value === 'object' && !Array.isArray(d.value) && !ArrayBuffer.isView(d.value))) visit(d.value);
    }
  };
  seen.add(process); // not its own properties: Node changes those itself (see restoreProcess)
  visit(globalThis);
  for (const key of Reflect.ownKeys(globalThis)) visitMembers(Object.getOwnPropertyDescriptor(globalThis, key)?.value);
  const hidden = [
    [][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](), ''[Symbol.iterator](), /x/[Symbol.matchAll](''),
    function* () {}, async function () {}, async function* () {}, Object.getPrototypeOf(Int8Array),
  ];
  for (const value of hidden) visit(value);
  // A module's exports object, not every class it exports (crypto, zlib, http have dozens, and
  // every object checked costs after every example), except the prototypes most often patched.
  for (const name of BUILTIN_MODULES) seen.add(require(name));
  const { EventEmitter } = require('events');
  const { Readable, Writable, Duplex, Transform } = require('stream');
  for (const cls of [EventEmitter, Readable, Writable, Duplex, Transform]) visit(cls);
  seen.delete(process);
  seen.delete(process.env);
  seen.delete(Object.prototype);
  return [Object.prototype, ...seen]; // Object.prototype first: see unchanged()
}

/**
 * @typedef {{ obj: object, label: string, proto: object | null, extensible: boolean, keys: PropertyKey[], keySet: Set<PropertyKey>, descriptors: (PropertyDescriptor | undefined)[] }} Saved
 * @type {{ objects: Saved[], env: Record<string, string | undefined>, listeners: Map<string | symbol, Function[]> }}
 */
let baseline;

/** @param {object} obj @returns {string} */
function labelOf(obj) {
  try {
    if (obj === globalThis) return 'globalThis';
    if (typeof obj === 'function') return obj.name || 'a function';
    const ctor = Object.prototype.hasOwnProperty.call(obj, 'constructor') ? obj.constructor : undefined;
    return typeof ctor === 'function' && ctor.name ? `${ctor.name}.prototype` : Object.prototype.toString.call(obj);
  } catch {
    return 'a built-in object';
  }
}

/** @param {object} obj @returns {Saved} */
function save(obj) {
  const keys = ownKeys(obj);
  return {
    obj, label: labelOf(obj), proto: getPrototypeOf(obj), extensible: isExtensible(obj), keys, keySet: new Set(keys),
    descriptors: keys.map((key) => ownDescriptor(obj, key)),
  };
}

/** process's own functions (process.exit = ..., process.cwd = ...) and argv, put back after each example. */
const processFunctions = new Map(Reflect.ownKeys(process).flatMap((key) => {
  const d = Object.getOwnPropertyDescriptor(process, key);
  return d && typeof d.value === 'function' ? [[key, d]] : [];
}));
const processArgv = [...process.argv];

function restoreProcess() {
  for (const [key, d] of processFunctions) {
    if (!sameDescriptor(Object.getOwnPropertyDescriptor(process, key), d)) {
      try {
        Object.defineProperty(process, key, d);
      } catch {
        // non-configurable: stays
      }
    }
  }
  if (process.argv.length !== processArgv.length || process.argv.some((a, i) => a !== processArgv[i])) process.argv.splice(0, Infinity, ...processArgv);
}

/** Taken once the runner is set up (its own listeners included), before any example. */
function takeBaseline() {
  baseline = {
    objects: realmObjects().map(save),
    env: { ...process.env },
    listeners: new Map(process.eventNames().map((name) => [name, process.listeners(/** @type {any} */ (name))])),
  };
}

/**
 * The fast check, run for every object after every example. It reads descriptors without
 * detaching them from Object.prototype (that costs), which is safe because Object.prototype
 * itself is put back first (with detached descriptors) before any other object is checked.
 * @param {Saved} saved
 */
function unchanged(saved) {
  const { obj } = saved;
  const keys = ownKeys(obj);
  if (keys.length !== saved.keys.length || getPrototypeOf(obj) !== saved.proto || isExtensible(obj) !== saved.extensible) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = /** @type {PropertyKey} */ (keys[i]);
    if (key !== saved.keys[i] || !sameDescriptor(getOwnPropertyDescriptor(obj, key), saved.descriptors[i])) return false;
  }
  return true;
}

/**
 * Put one object back as it was. Returns what could not be undone (a property made
 * non-configurable, a frozen or sealed object, a prototype that will not change back).
 * @param {Saved} saved
 * @returns {string | undefined}
 */
function restoreSaved(saved) {
  if (saved.obj !== ObjectPrototype && unchanged(saved)) return undefined;
  const { obj } = saved;
  const keys = ownKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = /** @type {PropertyKey} */ (keys[i]);
    if (!setHas(saved.keySet, key)) deleteProperty(obj, key);
  }
  for (let i = 0; i < saved.keys.length; i++) {
    const key = /** @type {PropertyKey} */ (saved.keys[i]);
    const d = saved.descriptors[i];
    if (d && !sameDescriptor(ownDescriptor(obj, key), d)) {
      try {
        defineProperty(obj, key, d);
      } catch {
        // non-configurable now: reported below
      }
    }
  }
  if (getPrototypeOf(obj) !== saved.proto) setPrototypeOf(obj, saved.proto);
  // Keys deleted and put back come after the others now: compare as sets, not in order.
  const now = ownKeys(obj);
  let undone = now.length === saved.keys.length && getPrototypeOf(obj) === saved.proto && isExtensible(obj) === saved.extensible;
  for (let i = 0; undone && i < saved.keys.length; i++) {
    const key = /** @type {PropertyKey} */ (saved.keys[i]);
    undone = sameDescriptor(ownDescriptor(obj, key), saved.descriptors[i]);
  }
  return undone ? undefined : `${saved.label} was changed in a way that cannot be undone (frozen, sealed or made non-configurable)`;
}

/** Put the realm back; returns what could not be (the process is then retired). */
function restoreRealm() {
  /** @type {string[]} */
  const stuck = [];
  const objects = baseline.objects;
  for (let i = 0; i < objects.length; i++) {
    const problem = restoreSaved(/** @type {Saved} */ (objects[i]));
    if (problem) stuck[stuck.length] = problem;
  }
  // The built-ins are clean again from here on.
  restoreProcess();
  for (const key of Object.keys(process.env)) if (!(key in baseline.env)) delete process.env[key];
  Object.assign(process.env, baseline.env);
  for (const name of process.eventNames()) {
    const keep = baseline.listeners.get(name) ?? [];
    for (const listener of process.listeners(/** @type {any} */ (name))) {
      if (!keep.includes(listener)) process.removeListener(/** @type {any} */ (name), listener);
    }
  }
  process.exitCode = undefined;
  try {
    process.chdir(neutralCwd);
  } catch {
    // the neutral directory is gone; the next job chdirs anyway
  }
  return stuck;
}

// ---------------------------------------------------------------------------
// Waiting for what the example left running (timers, sockets, fs requests),
// as `node example.mjs` would before exiting.

function resourceCounts() {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** @param {Map<string, number>} base */
function extraResources(base) {
  /** @type {string[]} */
  const extra = [];
  for (const [name, n] of resourceCounts()) {
    const more = n - (base.get(name) ?? 0);
    if (more > 0) extra.push(more > 1 ? `${name} ×${more}` : name);
  }
  return extra;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const pause = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * @param {Map<string, number>} base
 * @param {{ async: Raised[], waiting: string }} state
 * @param {number} id
 */
async function waitIdle(base, state, id) {
  for (let round = 0; ; round++) {
    await tick();
    if (state.async.length > 0) return;
    const extra = extraResources(base);
    if (extra.length === 0) return;
    const waiting = extra.join(', ');
    if (waiting !== state.waiting) {
      state.waiting = waiting;
      process.send?.({ type: 'waiting', id, pending: extra });
    }
    await pause(round < 20 ? 1 : 5);
  }
}

// ---------------------------------------------------------------------------

/** @type {Promise<void> | undefined} */
let tsLoader;
function registerTypeScript() {
  // Only when an example imports a .ts file; tsx is resolved from this runner's install.
  tsLoader ??= import('tsx/esm/api').then((m) => {
    m.register();
  });
  return tsLoader;
}

/**
 * @param {NodeJS.WriteStream} stream
 * @param {typeof process.stdout.write} write
 * @param {string} text
 * @returns {Promise<boolean>}
 */
function writeSentinel(stream, write, text) {
  return new Promise((resolve) => {
    try {
      write.call(stream, text, (error) => resolve(!error));
    } catch {
      try {
        fs.writeSync(stream === process.stdout ? 1 : 2, text);
        resolve(true);
      } catch {
        resolve(false);
      }
    }
  });
}

/**
 * @typedef {{ url: string, names: string[], role: 'setup' | 'code' | 'teardown' }} Part
 * @typedef {{ type: 'run', id: number, sentinel: string, cut: string, parts: Part[], cwd: string, home: string, tmp: string,
 *   requireFrom: string, session: boolean, needsTs: boolean, makeDirs?: boolean, removeDirs?: boolean }} RunMessage
 */

/** @param {RunMessage} msg */
async function runJob(msg) {
  const state = { async: /** @type {Raised[]} */ ([]), waiting: '' };
  const base = resourceCounts();
  current = state;
  if (orphans.length > 0) state.async.push(...orphans.splice(0).map((r) => ({ ...r, message: `${r.message} (raised between examples)` })));
  // In a sandbox the job's folders live in its private /tmp: made here, removed after the job.
  if (msg.makeDirs) for (const dir of [msg.cwd, msg.home, msg.tmp]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.chdir(msg.cwd);
  process.env.HOME = msg.home;
  process.env.TMPDIR = msg.tmp;
  /** @type {any} */ (globalThis).require = createRequire(msg.requireFrom);

  /** @type {Raised | undefined} */
  let error;
  /** @type {Raised | undefined} */
  let teardownError;
  let setupFailed = false;
  const counters = { setup: 0, code: 0, teardown: 0 };
  try {
    if (msg.needsTs) await registerTypeScript();
  } catch (e) {
    error = { role: 'code', index: 0, ...describe(e) };
  }
  for (const part of msg.parts) {
    // Markers around the example's own stdout: setup and teardown output is not part of it.
    if ((part.role === 'code' && counters.setup > 0) || (part.role === 'teardown' && counters.teardown === 0)) {
      await writeSentinel(process.stdout, writeOut, msg.cut);
    }
    const index = counters[part.role]++;
    if (part.role !== 'teardown' && (error || setupFailed)) continue;
    if (part.role === 'teardown' && setupFailed) continue;
    for (const name of part.names) {
      if (!Object.prototype.hasOwnProperty.call(globalThis, name)) /** @type {any} */ (globalThis)[name] = undefined;
    }
    try {
      await import(part.url);
    } catch (e) {
      const raised = { role: part.role, index, ...describe(e) };
      if (part.role === 'setup') setupFailed = true;
      if (part.role === 'teardown') teardownError ??= raised;
      else error ??= raised;
    }
  }
  if (!msg.session && !error) await waitIdle(base, state, msg.id);
  else await tick();
  current = null;
  if (!error && state.async.length > 0) error = state.async[0];
  const exitCode = process.exitCode;
  // The realm first: the checks below use the built-ins. What cannot be put back counts as left
  // over, so the pool retires this process after the job.
  const stuck = msg.session ? [] : restoreRealm();
  const leftover = msg.session ? [] : [...extraResources(base), ...stuck];
  if (msg.session) process.exitCode = undefined;

  if (msg.removeDirs) {
    try {
      process.chdir(neutralCwd);
    } catch {
      // gone: the next job chdirs anyway
    }
    for (const dir of [msg.cwd, msg.home, msg.tmp]) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // an example made it unremovable: the sandbox's /tmp goes with the lane
      }
    }
  }
  const outOk = await writeSentinel(process.stdout, writeOut, msg.sentinel);
  const errOk = await writeSentinel(process.stderr, writeErr, msg.sentinel);
  process.send?.({
    type: 'result',
    id: msg.id,
    ...(error ? { error } : {}),
    ...(teardownError ? { teardownError } : {}),
    ...(exitCode !== undefined && exitCode !== null ? { exitCode: Number(exitCode) } : {}),
    leftover,
    streamsOk: outOk && errOk,
  });
}

/** @type {Promise<void>} */
let queue = Promise.resolve();
process.on('message', (/** @type {RunMessage} */ msg) => {
  if (msg?.type !== 'run') return;
  queue = queue.then(() => runJob(msg)).catch((e) => {
    process.send?.({ type: 'fatal', id: msg.id, message: String(e?.stack ?? e) });
  });
});
takeBaseline();
process.send?.({ type: 'ready' });
