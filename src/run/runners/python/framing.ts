/**
 * The framing between the pool and one Python worker that an example running inside the worker
 * cannot read or forge (kb_worker/protocol.py is the other side).
 *
 * Nothing secret goes through argv, the environment or stdout, which an example can read
 * (/proc/self/cmdline) or write. The pool writes a random key as the first line on fd 3; each
 * result line is `HMAC-SHA256(key, json) json`, and job N's end-of-output sentinel and
 * setup/teardown cut marker are derived from the key. A line on fd 3 that fails the check means
 * an example wrote there: the worker is dropped and the example fails.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class Framing {
  private readonly key = randomBytes(32);

  /** The first line the worker reads on fd 3. */
  handshake(): string {
    return `${JSON.stringify({ key: this.key.toString('hex') })}\n`;
  }

  private digest(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('hex');
  }

  /** Ends job `seq`'s output on fd 1 and 2. */
  sentinel(seq: number): Buffer {
    return this.marker(`end ${seq}`);
  }

  /** Written on stdout after the setup parts and before the teardown parts of job `seq`. */
  cut(seq: number): Buffer {
    return this.marker(`end cut ${seq}`);
  }

  private marker(label: string): Buffer {
    return Buffer.from(`\x00\x1ekb-end ${this.digest(label).slice(0, 32)}\x1e\x00`);
  }

  /** The message of an authentic result line, or undefined when the line was not the worker's. */
  open(line: string): unknown {
    const space = line.indexOf(' ');
    if (space !== 64) return undefined;
    const body = line.slice(space + 1);
    const given = Buffer.from(line.slice(0, space), 'utf8');
    const wanted = Buffer.from(this.digest(body), 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** The example's own stdout: without what setup printed before it and teardown after it. */
export function withoutSetupAndTeardown(stdout: string, cut: Buffer, hasSetup: boolean, hasTeardown: boolean): string {
  const marker = cut.toString('utf8');
  let text = stdout;
  if (hasSetup) {
    const at = text.indexOf(marker);
    if (at >= 0) text = text.slice(at + marker.length);
  }
  if (hasTeardown) {
    const at = text.lastIndexOf(marker);
    if (at >= 0) text = text.slice(0, at);
  }
  return text.split(marker).join('');
}
