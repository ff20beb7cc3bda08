import { defineConfig } from 'vitest/config';
// The same public plugin a project installs (`kb-doctest/vitest`): it adds the `notes` project.
import kb from './src/vitest/index.ts';

export default defineConfig({
  plugins: [kb()],
  test: {
    // vitest's default leaves a core for the main process (one worker on 2 cores); notes are mostly
    // waiting on Python, so two workers keep both cores busy (measured: 100 notes 2.7 s → 2.45 s).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          // The engine's own tests choose each sandbox mode they test (some compare worker pids,
          // which a PID namespace makes equal); CI's KB_SANDBOX=required is for the notes (empty = unset).
          env: { KB_SANDBOX: '' },
        },
      },
    ],
  },
});
