import { defineConfig } from 'vitest/config';
import { kbNotes } from './src/vitest/plugin.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        plugins: [kbNotes()],
        test: {
          name: 'notes',
          include: ['notes/**/*.md', 'README.md'],
          // Notes share nothing through JavaScript modules: the Python worker is their isolation.
          isolate: false,
          pool: 'threads',
          includeTaskLocation: true,
          globalSetup: ['./src/vitest/global-setup.ts'],
        },
      },
    ],
  },
});
