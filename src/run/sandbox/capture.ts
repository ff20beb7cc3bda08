/**
 * Output of example processes: one stream kept up to a byte cap, and the
 * splitting of a long-lived process's stream into per-job pieces at sentinels
 * the process writes after each job.
 */

/** Bytes of one stream up to a limit; counts (but drops) what comes after. */
export class Capture {
  private chunks: Buffer[] = [];
  bytes = 0;
  /** Set once this job's sentinel has been seen on the stream. */
  complete = false;
  constructor(readonly limit: number) {}
  /** Returns false once the limit is passed. */
  add(data: Buffer): boolean {
    if (data.length === 0) return this.bytes <= this.limit;
    const room = this.limit - this.bytes;
    if (room > 0) this.chunks.push(data.length > room ? data.subarray(0, room) : data);
    this.bytes += data.length;
    return this.bytes <= this.limit;
  }
  get over(): boolean {
    return this.bytes > this.limit;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A sentinel no example prints by accident: NUL/RS framed, with a random per-process token. */
export function sentinelFor(token: string, seq: number): Buffer {
  return Buffer.from(`\x00\x1ekb-end ${token} ${seq}\x1e\x00`);
}

/**
 * Cut one stream at sentinels. `feed` calls `target()` for the job the bytes
 * belong to, hands it bytes up to its sentinel, and calls `onComplete` when
 * the sentinel is seen. A tail that may be the start of a sentinel split
 * across chunks is held back. Returns false when a capture passed its limit.
 */
export class SentinelSplitter {
  private carry = Buffer.alloc(0);

  feed(
    chunk: Buffer,
    target: () => { capture: Capture; sentinel: Buffer } | undefined,
    onComplete: (capture: Capture) => void,
    onStray: (data: Buffer) => void = () => {},
  ): { overflow?: Capture } {
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    while (data.length > 0) {
      const job = target();
      if (!job) {
        onStray(Buffer.from(data));
        return {};
      }
      const at = data.indexOf(job.sentinel);
      const cut = at >= 0 ? at : Math.max(0, data.length - (job.sentinel.length - 1));
      if (!job.capture.add(data.subarray(0, cut))) return { overflow: job.capture };
      if (at < 0) {
        this.carry = Buffer.from(data.subarray(cut));
        return {};
      }
      job.capture.complete = true;
      data = data.subarray(at + job.sentinel.length);
      onComplete(job.capture);
    }
    return {};
  }

  /** What is held back (the end of a stream that never got its sentinel). */
  drain(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }
}
