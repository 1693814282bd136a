import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: API tests hash passwords and spawn servers, so keep workers few.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
