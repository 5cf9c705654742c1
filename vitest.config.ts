import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    alias: {
      // The Electron binary cannot run in tests: shell code sees a small fake of the API it uses.
      electron: new URL('./test/fakes/electron/index.ts', import.meta.url).pathname,
    },
  },
});
