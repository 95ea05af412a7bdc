// One runtime replica as its own process, for tests of several replicas (run by Node through
// test/loader): `node --import ./test/loader/register.mjs test/runtime/helpers/replica.ts CONFIG PORT`.
// Logs JSON lines on stdout like `mlspec serve`; exits on SIGTERM after draining.
import { serve } from '../../../runtime/main.js';

const [configPath, port] = process.argv.slice(2);
const code = await serve(
  { configPath: configPath!, port: Number(port), host: '127.0.0.1', signals: process },
  { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
);
process.exit(code);
