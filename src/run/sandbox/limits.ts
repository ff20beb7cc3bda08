/**
 * Resource limits of an example: defaults, parsing of sizes written by authors
 * (`memory=4G`), and the messages that name a limit an example ran into.
 */
export interface Limits {
  /** Bytes of memory (address space per process, and the cgroup of a worker where available). */
  memory: number;
  /** Processes and threads alive at once in an example's sandbox. */
  processes: number;
  /** Largest file an example may write, in bytes. */
  fileSize: number;
  /** Total size of the files an example keeps in its private /tmp, in bytes. */
  diskSize: number;
  /** Bytes of stdout and of stderr kept per example; more fails it. */
  output: number;
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<Limits> = {
  memory: GiB,
  processes: 256,
  fileSize: 256 * MiB,
  diskSize: 512 * MiB,
  output: MiB,
};

/** Option and front-matter names of each limit, as authors write them. */
export const LIMIT_OPTIONS: Readonly<Record<string, keyof Limits>> = {
  memory: 'memory',
  processes: 'processes',
  filesize: 'fileSize',
  disk: 'diskSize',
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: KiB, kb: KiB, kib: KiB, m: MiB, mb: MiB, mib: MiB, g: GiB, gb: GiB, gib: GiB };

/** `512M`, `4G`, `1.5GiB`, `1048576` → bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

export function formatSize(n: number): string {
  for (const [unit, size] of [['GiB', GiB], ['MiB', MiB], ['KiB', KiB]] as const) {
    if (n >= size && n % (size / 8) === 0) return `${Number((n / size).toFixed(3))} ${unit}`;
  }
  return `${n} bytes`;
}

/** How an author raises a limit, for messages. */
export function raiseHint(limit: 'memory' | 'processes' | 'filesize' | 'disk', value: string): string {
  return `raise it with \`${limit}=${value}\` on the example, or \`${limit}: ${value}\` in the note's front matter`;
}

export function memoryMessage(limits: Limits): string {
  return `the example ran out of memory: the memory limit is ${formatSize(limits.memory)}; ${raiseHint('memory', formatSize(limits.memory * 2).replace(/ (\w)i?B$/, '$1').replace(' bytes', ''))}`;
}

export function processesMessage(limits: Limits): string {
  return `the example hit the process limit (${limits.processes} processes at once); ${raiseHint('processes', String(limits.processes * 2))}`;
}

export function fileSizeMessage(limits: Limits): string {
  return `the example wrote a file larger than the file size limit of ${formatSize(limits.fileSize)}; ${raiseHint('filesize', formatSize(limits.fileSize * 2).replace(/ (\w)i?B$/, '$1'))}`;
}

export function diskMessage(limits: Limits): string {
  return `the example's files exceeded the disk limit of ${formatSize(limits.diskSize)} (its private /tmp and working folder); ${raiseHint('disk', formatSize(limits.diskSize * 2).replace(/ (\w)i?B$/, '$1'))}`;
}

/** A key that tells sandboxes with different limits or network apart (workers are reused only within one). */
export function profileKey(limits: Limits, network: boolean): string {
  return `${limits.memory}/${limits.processes}/${limits.fileSize}/${limits.diskSize}/${network ? 'net' : 'nonet'}`;
}
