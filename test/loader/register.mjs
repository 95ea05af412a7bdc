// Lets Node run TypeScript modules in processes and worker threads the tests start (the
// inference workers, runtime replicas): vitest transforms the test files themselves, but a
// worker thread is loaded by Node. `execArgv` in vitest.config.ts imports this file in every
// test process, and worker threads inherit it.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
