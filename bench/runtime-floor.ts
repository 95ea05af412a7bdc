// The floor: the least an HTTP server can do to answer a V2 request with the same ONNX session
// (parse, one tensor, run, serialise), with no routing, drift, metrics or checks.
// With --coalesce it writes answers the way the sidecar does (under concurrency, together at the
// end of the event-loop turn), to show the sidecar's overhead apart from that write scheduling.
// Usage: node dist/bench/runtime-floor.js MODEL.onnx [--coalesce]  (prints the port when listening)
import { createServer, type ServerResponse } from 'node:http';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { endOfTurn } from '../runtime/turn.js';

const coalesce = process.argv.includes('--coalesce');
let inflight = 0;

const session = await InferenceSession.create(process.argv[2]!, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});

const server = createServer((req, res) => {
  inflight++;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      inputs: { shape: number[]; data: number[] }[];
    };
    const input = body.inputs[0]!;
    session.run({ x: new Tensor('float32', Float32Array.from(input.data), input.shape) }).then((out) => {
      const t = out.probability!;
      const text = JSON.stringify({
        model_name: 'bench',
        outputs: [{ name: 'probability', datatype: 'FP32', shape: t.dims, data: Array.from(t.data as Float32Array) }],
      });
      if (coalesce && inflight > 1) void endOfTurn().then(() => answer(res, text));
      else answer(res, text);
    });
  });
});

function answer(res: ServerResponse, text: string): void {
  inflight--;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
