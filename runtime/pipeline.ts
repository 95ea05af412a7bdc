// The request pipeline of `/infer`, in order:
//   retrieve (a record's features from the feature store, when configured)
//   → decode (V2 tensors or one record, checked against the signature, at most `maxRowsPerRequest` rows)
//   → route (override, version, sticky key, weighted split; overrides only where allowed)
//   → infer (the variant's session, through the micro-batcher when configured, under the timeout)
//   → encode (the request's form, naming the variant)
// and, once the answer has been written (`account`): drift and the canary gate (live traffic
// only: split and sticky requests, not test traffic sent by override or version), metrics (the
// retrieval's too), the sampled event and the shadow copy. Accounting after the write keeps it
// off the answer's latency: with one connection the next request is usually still on its way
// while it runs.
import { randomUUID } from 'node:crypto';
import type { Variant } from './contract/config.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { RetrievalReport } from './features/online-features.js';
import type { Generation } from './generation.js';
import type { Logger } from './log.js';
import type { Feeds, Outputs } from './model/session.js';
import { ExpiredError } from './model/workers.js';
import type { DecodedRequest } from './protocol/decode.js';
import { decodeInferBody } from './protocol/decode.js';
import { encodeResponse } from './protocol/encode.js';
import { HttpError } from './protocol/errors.js';
import { jsonFromTensor } from './protocol/tensor-data.js';
import type { Caller } from './router/override-access.js';
import type { AssignmentReason } from './router/router.js';
import type { RuntimeMetrics } from './telemetry/metrics.js';

export interface InferCall extends Caller {
  readonly body: unknown;
  readonly version?: string | undefined;
  /** `clock()` when the body had been read. */
  readonly start: number;
}

/** What one call decided and produced: the answer to write, then what `account` reports. */
export interface InferOutcome {
  readonly status: number;
  /** The V2 answer (status 200) or the error to send. */
  readonly answer: object | undefined;
  readonly error: HttpError | undefined;
  readonly variant: Variant | undefined;
  readonly reason: AssignmentReason | undefined;
  readonly req: DecodedRequest | undefined;
  readonly key: string | undefined;
  readonly outputs: Outputs | undefined;
  /** What online retrieval fetched, counted by `account`. */
  readonly retrieval: RetrievalReport | undefined;
}

export interface PipelineDeps {
  readonly metrics: RuntimeMetrics;
  readonly logger: Logger;
  /** The time limit of model calls (`server.requestTimeoutMs`). */
  readonly deadlines: DeadlineQueue;
  /** Monotonic milliseconds, for latencies. */
  readonly clock: () => number;
  /** Wall-clock milliseconds, for the canary window and events. */
  readonly now: () => number;
}

const SERVING_ROLES: ReadonlySet<string> = new Set(['stable', 'canary', 'variant']);

/** Never rejects: a failure is an outcome with its HTTP error. */
export async function infer(gen: Generation, call: InferCall, deps: PipelineDeps): Promise<InferOutcome> {
  let variant: Variant | undefined;
  let reason: AssignmentReason | undefined;
  let req: DecodedRequest | undefined;
  let key: string | undefined;
  let outputs: Outputs | undefined;
  let retrieval: RetrievalReport | undefined;
  try {
    let body = call.body;
    if (gen.online && isRecord(body)) {
      const r = await gen.online.complete(body);
      body = r.record;
      retrieval = r.report;
    }
    req = decodeInferBody(body, gen.signature, gen.recordExtraKeys, gen.limits.maxRows);
    key = stickyKey(gen, req, call.header);
    const override = call.header(gen.overrideHeader);
    if (override !== undefined) gen.overrideGuard.check(call, 'choosing a variant by header');
    const a = gen.router.assign({ override, version: call.version, key });
    variant = a.variant;
    reason = a.reason;
    if (reason === 'version' && !SERVING_ROLES.has(variant.role))
      gen.overrideGuard.check(call, `version ${call.version} (a ${variant.role} variant)`);
    outputs = await runModel(gen, variant, req, deps);
    const answer = encodeResponse(req, outputs, gen.signature, { variant: variant.name, version: variant.version });
    return { status: 200, answer, error: undefined, variant, reason, req, key, outputs, retrieval };
  } catch (e) {
    const error = asHttpError(e);
    return { status: error.status, answer: undefined, error, variant, reason, req, key, outputs, retrieval };
  }
}

/**
 * The model call under the time limit. After a 504 the call may still finish (a worker cannot be
 * interrupted): its answer is discarded and counted, as is a call dropped unstarted from the
 * workers' queue.
 */
async function runModel(gen: Generation, variant: Variant, req: DecodedRequest, deps: PipelineDeps): Promise<Outputs> {
  const work = gen.variants.get(variant.name)!.runner.run(req.feeds, {
    rows: req.rows,
    lane: 'live',
    deadline: performance.now() + deps.deadlines.ms,
    inlineMaxMs: gen.limits.inlineMaxMs,
  });
  try {
    return await deps.deadlines.within(work);
  } catch (e) {
    if (e instanceof ExpiredError) {
      deps.metrics.discard(variant.name, 'expired');
      throw timeoutError(deps.deadlines.ms);
    }
    if (e instanceof HttpError && e.status === 504)
      work.then(
        () => deps.metrics.discard(variant.name, 'late'),
        (late: unknown) => deps.metrics.discard(variant.name, late instanceof ExpiredError ? 'expired' : 'late'),
      );
    throw e;
  }
}

/** The 504 of a model call that outlasted `ms`. */
export function timeoutError(ms: number): HttpError {
  return new HttpError(504, 'timeout', `inference did not finish within ${ms} ms`);
}

/** Reports an outcome once its answer has been written. */
export function account(gen: Generation, call: InferCall, o: InferOutcome, deps: PipelineDeps): void {
  const { status, variant, req } = o;
  const live = o.reason === 'split' || o.reason === 'sticky';
  if (o.retrieval) gen.online?.report(o.retrieval);
  if (live && req) gen.drift.observe(req.feeds, req.rows);
  if (status >= 500)
    deps.logger.error('inference failed', {
      variant: variant?.name,
      status,
      code: o.error?.code,
      error: o.error?.message,
    });
  const seconds = (deps.clock() - call.start) / 1000;
  deps.metrics.request(variant?.name ?? '', status, seconds);
  // The gate judges the canary on live traffic; client errors say nothing about its health.
  if (live && variant && gen.canary && (status < 400 || status >= 500)) {
    gen.canary.record(variant.name, deps.now(), seconds, status >= 500);
    if (variant.name === gen.canary.canary || variant.name === gen.canary.stable)
      deps.metrics.gate(variant.name, variant.version, status >= 500, seconds);
  }
  if (variant && req && gen.events?.sampled(o.key)) {
    gen.events.write(
      {
        requestId: req.id ?? call.header('x-request-id') ?? randomUUID(),
        model: gen.signature.modelName,
        variant: variant.name,
        version: variant.version,
        reason: o.reason!,
        key: o.key,
        status,
        latencySeconds: seconds,
        features: firstRowFeatures(gen, req.feeds),
        ...(o.outputs ? { outputs: firstRowOutputs(o.outputs, req.rows) } : {}),
      },
      new Date(deps.now()),
    );
  }
  if (live && req && status === 200) shadowCopy(gen, req, deps);
}

function asHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  const message = (e as Error)?.message?.split('\n')[0] ?? String(e);
  return new HttpError(500, 'inference_failed', `inference failed: ${message}`);
}

function isRecord(body: unknown): body is Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && !('inputs' in body);
}

/** From the sticky header, the request field, or (V2 form) the feature column's first row. */
function stickyKey(gen: Generation, req: DecodedRequest, header: InferCall['header']): string | undefined {
  if (gen.stickyHeader) return header(gen.stickyHeader);
  const field = gen.config.config.traffic.stickyKey?.field;
  if (field === undefined) return undefined;
  const v = req.fields[field];
  if (v !== undefined && v !== null) return String(v);
  const slot = gen.signature.features.get(field);
  const data = slot && (req.feeds[slot.input.name]?.data as ArrayLike<unknown> | undefined);
  return data && data.length > slot.column ? String(data[slot.column]) : undefined;
}

/** Offers the request to the shadow lane; the generation stays alive until the copy is done. */
function shadowCopy(gen: Generation, req: DecodedRequest, deps: PipelineDeps): void {
  const target = gen.router.shadow();
  if (!target || !gen.shadow) return;
  gen.acquire();
  gen.shadow.offer(
    {
      session: gen.variants.get(target.name)!.session,
      feeds: req.feeds,
      rows: req.rows,
      deadline: performance.now() + deps.deadlines.ms,
    },
    () => gen.release(),
  );
}

function scalar(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Features of the first row by name (inputs without a feature list are not features). */
function firstRowFeatures(gen: Generation, feeds: Feeds): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const input of gen.signature.inputs) {
    const t = feeds[input.name];
    if (!t || !input.features) continue;
    const data = t.data as ArrayLike<unknown>;
    input.features.forEach((f, i) => (out[f] = t.type === 'bool' ? data[i] !== 0 : scalar(data[i])));
  }
  return out;
}

function firstRowOutputs(outputs: Outputs, rows: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(outputs)) {
    const data = jsonFromTensor(t);
    const per = rows > 0 ? data.length / rows : data.length;
    out[name] = per === 1 ? data[0] : data.slice(0, per);
  }
  return out;
}
