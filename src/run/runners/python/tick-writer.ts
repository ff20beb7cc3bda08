/**
 * Lines written to a stream within one tick leave in one write: a note queues all its examples
 * at once, the pool writes jobs ahead, the server answers many jobs at once, and a system call
 * per message was most of a channel's cost.
 */
import type { Writable } from 'node:stream';

export function tickWriter(stream: Writable): (text: string) => void {
  let corked = false;
  return (text) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork();
      });
    }
    stream.write(text);
  };
}
