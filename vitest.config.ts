import { defineConfig } from 'vitest/config';
import { notesTestOptions } from './src/vitest/notes-project.ts';
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
          ...notesTestOptions(),
        },
      },
    ],
  },
});
