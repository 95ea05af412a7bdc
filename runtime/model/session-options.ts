// onnxruntime session options, the same on the event loop and in every worker.
import type { InferenceSession } from 'onnxruntime-node';

// Tabular models are small: one thread per session avoids thread hand-off costs that exceed
// the work itself, and the pod scales by replicas rather than by intra-op threads; long calls
// run in parallel on the worker threads instead (workers.ts).
export const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3, // onnxruntime's own log lines are not JSON; keep only its errors
};
