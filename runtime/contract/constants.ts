// Runtime config constants the compiler needs at run time, kept apart from the TypeBox schema
// so that rendering does not load the schema builder. The defaults are the ones the schema
// declares (the runtime fills them in when a field is absent); the compiler reads them to size
// what surrounds the runtime (a pod's termination grace period must cover the drain).

export const RUNTIME_CONFIG_KIND = 'RuntimeConfig';

/** Header a caller sets to pick a variant explicitly (testing, blue-green preview). */
export const DEFAULT_OVERRIDE_HEADER = 'x-mlspec-variant';

/** Header carrying the shared secret that allows an override (`traffic.override.secretFile`). */
export const DEFAULT_OVERRIDE_SECRET_HEADER = 'x-mlspec-override-secret';

export const SERVER_DEFAULTS = {
  port: 8080,
  bodyLimitBytes: 1_048_576,
  requestTimeoutMs: 5_000,
  shutdownTimeoutMs: 20_000,
  /** After SIGTERM, readiness fails but serving goes on this long before the listener closes. */
  drainDelayMs: 5_000,
  maxConnections: 1_024,
  maxRowsPerRequest: 4_096,
} as const;

export const INFERENCE_DEFAULTS = {
  /** Model calls predicted to take at most this long run on the event loop; longer ones on workers. */
  inlineMaxMs: 1,
  /** A model (with its external data) larger than this is loaded in one worker only, never inline. */
  replicateMaxBytes: 256 * 1024 * 1024,
} as const;

export const SHADOW_DEFAULTS = { maxQueued: 64, maxConcurrent: 1 } as const;

export const GATE_DEFAULTS = {
  /** Samples per variant before a p99 is compared: below it the 99th percentile is the maximum. */
  minLatencySamples: 200,
} as const;

export const ROLLOUT_STATE_DEFAULTS = {
  intervalSeconds: 10,
  /** How far back a restarted replica looks for the tier's step and drain. */
  lookbackSeconds: 86_400,
  timeoutMs: 2_000,
} as const;

export const ONLINE_FEATURES_DEFAULTS = { timeoutMs: 100, maxConnections: 64 } as const;

export const EVENTS_DEFAULTS = {
  maxFileBytes: 64 * 1024 * 1024,
  maxFiles: 2,
  sinkTimeoutMs: 2_000,
  sinkMaxBuffered: 10_000,
  sinkMaxConcurrent: 4,
} as const;

/**
 * The pod's termination grace period that covers a drain: the drain delay, then in-flight
 * requests for up to the shutdown timeout, plus a margin for the process to exit.
 */
export function terminationGraceSeconds(drainDelayMs: number, shutdownTimeoutMs: number): number {
  return Math.ceil((drainDelayMs + shutdownTimeoutMs) / 1000) + 5;
}
