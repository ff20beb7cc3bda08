/**
 * Runs tasks with a global concurrency limit and a per-host one, first come
 * first served among the tasks whose host has a free slot.
 */
export class Limiter {
  private active = 0;
  private readonly perHostActive = new Map<string, number>();
  private readonly queue: Array<{ host: string; start: () => void }> = [];

  constructor(
    private readonly global: number,
    private readonly perHost: number,
  ) {
    if (!(global >= 1) || !(perHost >= 1)) throw new RangeError('limits must be at least 1');
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        host,
        start: () => {
          task()
            .then(resolve, reject)
            .finally(() => {
              this.active--;
              this.perHostActive.set(host, (this.perHostActive.get(host) ?? 1) - 1);
              this.pump();
            });
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.active < this.global; ) {
      const entry = this.queue[i]!;
      const hostActive = this.perHostActive.get(entry.host) ?? 0;
      if (hostActive >= this.perHost) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.active++;
      this.perHostActive.set(entry.host, hostActive + 1);
      entry.start();
    }
  }
}
