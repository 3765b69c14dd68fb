// Runs the bench's unit tests on their own (`npx vitest run --config bench/vitest.config.ts`); they start no servers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['peers/**', 'node_modules/**'],
  },
});
