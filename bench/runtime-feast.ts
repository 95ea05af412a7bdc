// The feature server of the runtime benchmark's retrieval cell, in its own process: the Feast
// peer of the tests (test/runtime/helpers/feast-server.ts, Feast's documented answer shapes)
// answering DELAY_MS after each request arrives (spinning: a timer of 1 ms fires after 1-2 ms),
// with the stored features of users 0..999.
// Usage: node dist/bench/runtime-feast.js DELAY_MS   (prints {"port": N} once listening)
import { entityKey, startFeastServer } from '../test/runtime/helpers/feast-server.js';
import { FETCHED } from './runtime-fixture.js';

const server = await startFeastServer();
server.delayMs = Number(process.argv[2] ?? 1);
server.spin = true;
const view = new Map();
for (let user = 0; user < 1000; user++)
  view.set(entityKey(user), {
    values: Object.fromEntries(FETCHED.map((f, i) => [f, ((user + i) * 0.37) % 1])),
    eventTime: Date.now(),
  });
server.table.views.set('user_stats', view);
process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.url).port) })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
