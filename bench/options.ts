/** `--name N` on a bench's command line, or the fallback. */
export function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) ? value : fallback;
}

/** Packages a bundled `kb` binary leaves out: only `kb report` and `kb mutate` load them (dynamic imports). */
export const VITEST_EXTERNALS = ['vite', 'vitest', 'vitest/*', '@vitest/*', '@vitejs/*', 'lightningcss', 'esbuild', 'fsevents'];
