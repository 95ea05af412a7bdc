// Health probes of the runtime benchmark, run in their own process beside the load generator:
// GET /v2/health/live every INTERVAL milliseconds for SECONDS seconds, as a kubelet would probe
// (but far more often), keeping every latency.
// Usage: node dist/bench/runtime-probe.js URL SECONDS INTERVAL_MS   (prints {"latencies": [...]})
import { request } from 'node:http';

const [url, seconds, interval] = process.argv.slice(2);
const end = performance.now() + Number(seconds) * 1000;
const latencies: number[] = [];

function probe(): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // A new connection per probe, as the kubelet's HTTP probe opens one.
    const req = request(`${url}/v2/health/live`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - start);
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

while (performance.now() < end) {
  const next = performance.now() + Number(interval);
  await probe();
  const wait = next - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
process.stdout.write(`${JSON.stringify({ latencies })}\n`);
