// A worker thread of the inference pool (workers.ts): it owns onnxruntime sessions and runs one
// model call at a time, so a long call blocks this thread and never the server's event loop.
// Messages carry plain data only: tensors travel as {type, dims, data} with their buffers
// transferred, never copied twice.
//
// The thread lowers its own scheduling priority (nice 10, Linux): when a worker and the event
// loop want the same CPU, the event loop wins, so probes, timeouts and small calls answer at
// once while a long call keeps the rest of the CPU. Raising one's nice value needs no privilege.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { SESSION_OPTIONS } from './session-options.js';
import type { WireTensor, WorkerReply, WorkerRequest } from './worker-protocol.js';
import { metadataOf, transferablesOf, wireTensor } from './worker-protocol.js';

const port = parentPort!;
const sessions = new Map<string, InferenceSession>();
const WORKER_NICE = 10;

try {
  // `/proc/thread-self` names this thread (`<pid>/task/<tid>`); setpriority() takes a thread id.
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WORKER_NICE);
} catch {
  // Not Linux, or no /proc: the thread keeps the process's priority.
}

port.on('message', (m: WorkerRequest) => {
  void handle(m).then(
    (reply) => port.postMessage(reply, reply.type === 'result' ? transferablesOf(reply.outputs) : []),
    (e: unknown) => port.postMessage({ type: 'error', id: m.id, message: (e as Error)?.message ?? String(e) }),
  );
});

async function handle(m: WorkerRequest): Promise<WorkerReply> {
  switch (m.type) {
    case 'load': {
      const session =
        typeof m.source === 'string'
          ? await InferenceSession.create(m.source, SESSION_OPTIONS)
          : await InferenceSession.create(m.source, SESSION_OPTIONS);
      sessions.get(m.key)?.release();
      sessions.set(m.key, session);
      return { type: 'loaded', id: m.id, ...metadataOf(session) };
    }
    case 'run': {
      const session = sessions.get(m.key);
      if (!session) throw new Error(`no session ${m.key} in this worker`);
      const feeds: Record<string, Tensor> = {};
      for (const t of m.feeds) feeds[t.name] = new Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      const start = performance.now();
      const out = await session.run(feeds);
      const ms = performance.now() - start;
      const outputs: WireTensor[] = Object.entries(out).map(([name, t]) => wireTensor(name, t, false));
      return { type: 'result', id: m.id, ms, outputs };
    }
    case 'release': {
      const session = sessions.get(m.key);
      sessions.delete(m.key);
      await session?.release();
      return { type: 'released', id: m.id };
    }
  }
}
