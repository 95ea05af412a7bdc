import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The machine has two cores; forks keep native addons (onnxruntime, jsonnet) out of shared threads.
    pool: 'forks',
    // Node itself loads the runtime's inference workers and replica processes from TypeScript
    // sources (test/loader): vitest only transforms what the tests import.
    execArgv: ['--import', './test/loader/register.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
