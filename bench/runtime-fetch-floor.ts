// The floor of online retrieval: an HTTP server that answers each request after one fetch of the
// same 8 features from the feature server, with the runtime's HTTP client, and does nothing else.
// Without a feature server URL it answers at once. The sidecar's added latency is compared with
// this server's, measured in the same run.
// Usage: node dist/bench/runtime-fetch-floor.js [FEATURE_SERVER_URL]  (prints {"port": N})
import { createServer } from 'node:http';
import { JsonClient } from '../runtime/http-client.js';
import { FETCHED } from './runtime-fixture.js';

const url = process.argv[2];
const client = url ? new JsonClient(`${url}/`, 4) : undefined;
const features = FETCHED.map((f) => `user_stats:${f}`);

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    if (client) {
      const record = JSON.parse(body) as { user_id: number };
      const request = { features, entities: { user_id: [record.user_id] }, full_feature_names: true };
      await client.post('get-online-features', JSON.stringify(request), {}, 1000);
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"outputs":[]}');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
