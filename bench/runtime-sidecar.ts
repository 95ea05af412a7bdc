// The sidecar as deployed: `serve()` with routing over two variants, drift on 32 features and
// Prometheus metrics (including process metrics). Prints the port once ready.
// Usage: node dist/bench/runtime-sidecar.js CONFIG.json
import { serve } from '../runtime/main.js';

const code = await serve(
  {
    configPath: process.argv[2]!,
    port: 0,
    host: '127.0.0.1',
    signals: process,
    onListening: (port) => process.stdout.write(`${JSON.stringify({ port })}\n`),
  },
  { stdout: () => {}, stderr: (t) => process.stderr.write(t) },
);
process.exit(code);
