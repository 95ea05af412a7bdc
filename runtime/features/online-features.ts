// Online retrieval for one-record requests: the record carries the entity join keys (and the
// request features); the features that live in the feature store are fetched from the Feast
// feature server and added to the record before it is decoded into tensors, so drift, events
// and the model see them like any other feature.
//
// A value the store cannot give (NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE) takes the feature's
// configured default; without one the request is refused: an entity the store does not know is
// the caller's problem (422 `feature_not_found`), a value that is missing or too old is the
// platform's (503 `feature_unavailable`). A feature the request sends itself replaces the
// fetched one only when the config marks it `overridable`; otherwise the request is refused,
// since a caller could otherwise feed the model values the store would contradict.
import type { FetchedFeature, OnlineFeatures } from '../contract/config.js';
import { ONLINE_FEATURES_DEFAULTS } from '../contract/constants.js';
import { HttpFailed, JsonClient } from '../http-client.js';
import { HttpError, badRequest } from '../protocol/errors.js';
import type { FeatureMetrics } from '../telemetry/feature-metrics.js';
import {
  type FeatureValue,
  fullFeatureName,
  type GetOnlineFeaturesRequest,
  parseOnlineFeatures,
} from './feast-protocol.js';

const PATH = 'get-online-features';

/** One feature value served, as the metrics count it. */
interface ServedValue {
  readonly feature: string;
  readonly status: string;
  readonly source: 'store' | 'default' | 'request';
  /** The value's event timestamp as the store gave it (freshness), for store values. */
  readonly eventTimestamp?: string | undefined;
}

/**
 * What one retrieval did, reported to the metrics once the answer has been written (`report`):
 * counting it before would put a dozen metric updates, run on a cold CPU right after the wait
 * for the feature server, on every answer's latency.
 */
export interface RetrievalReport {
  readonly fetchSeconds: number | undefined;
  readonly values: readonly ServedValue[];
  /** `now()` when the values were served: their age is measured at that time. */
  readonly servedAt: number;
}

interface Fetched {
  readonly values: Map<string, FeatureValue>;
  /** Time of the call to the feature server. */
  readonly seconds: number;
}

export interface Retrieval {
  /** The record with every fetched feature filled in. */
  readonly record: Record<string, unknown>;
  readonly report: RetrievalReport;
}

export class OnlineFeatureSource {
  /** Record keys that are entity join keys, not model features. */
  readonly entityKeys: ReadonlySet<string>;
  readonly #config: OnlineFeatures;
  readonly #client: JsonClient;
  readonly #timeoutMs: number;
  readonly #features: readonly (FetchedFeature & { readonly column: string })[];

  constructor(
    config: OnlineFeatures,
    private readonly metrics: FeatureMetrics,
    private readonly clock: () => number,
    private readonly now: () => number,
  ) {
    this.#config = config;
    this.entityKeys = new Set(config.entities.map((e) => e.joinKey));
    this.#client = new JsonClient(
      config.url.endsWith('/') ? config.url : `${config.url}/`,
      config.maxConnections ?? ONLINE_FEATURES_DEFAULTS.maxConnections,
    );
    this.#timeoutMs = config.timeoutMs ?? ONLINE_FEATURES_DEFAULTS.timeoutMs;
    this.#features = config.features.map((f) => ({ ...f, column: fullFeatureName(f.ref) }));
  }

  /** The record with every fetched feature filled in, and what to report of it (`report`). */
  async complete(record: Readonly<Record<string, unknown>>): Promise<Retrieval> {
    const entities: Record<string, [number | string]> = {};
    for (const e of this.#config.entities) {
      const v = record[e.joinKey];
      if (v === undefined || v === null)
        throw badRequest(
          'missing_entity_key',
          `missing entity key \`${e.joinKey}\` (the feature store is keyed by it)`,
        );
      const ok = e.dtype === 'INT64' ? typeof v === 'number' && Number.isSafeInteger(v) : typeof v === 'string';
      if (!ok)
        throw badRequest(
          'bad_entity_key',
          `entity key \`${e.joinKey}\` is ${JSON.stringify(v)}, ` +
            `expected ${e.dtype === 'INT64' ? 'an integer' : 'a string'}`,
        );
      entities[e.joinKey] = [v as number | string];
    }
    const out: Record<string, unknown> = { ...record };
    const served: ServedValue[] = [];
    const wanted = this.#features.filter((f) => {
      if (record[f.name] === undefined) return true;
      if (!f.overridable)
        throw badRequest(
          'feature_not_overridable',
          `feature \`${f.name}\` comes from the feature store and cannot be sent in the request`,
        );
      served.push({ feature: f.name, status: 'present', source: 'request' });
      return false;
    });
    // Values sent with the request, reported alone when nothing is fetched or the fetch fails.
    const unfetched: RetrievalReport = { fetchSeconds: undefined, values: served, servedAt: 0 };
    if (wanted.length === 0) return { record: out, report: unfetched };
    let fetched: Fetched;
    try {
      fetched = await this.#fetch(wanted, entities);
    } catch (e) {
      this.report(unfetched);
      throw e;
    }
    const { values, seconds } = fetched;
    const report = { fetchSeconds: seconds, values: served, servedAt: this.now() };
    for (const f of wanted) {
      const v = values.get(f.column)!;
      if (v.status === 'PRESENT' && v.value !== null) {
        out[f.name] = v.value;
        served.push({ feature: f.name, status: 'present', source: 'store', eventTimestamp: v.eventTimestamp });
        continue;
      }
      const status = v.status === 'PRESENT' ? 'null_value' : v.status.toLowerCase();
      if (f.default !== undefined) {
        out[f.name] = f.default;
        served.push({ feature: f.name, status, source: 'default' });
        continue;
      }
      served.push({ feature: f.name, status, source: 'store' });
      this.report(report); // the request is refused: nothing else will report it
      const keys = Object.entries(entities)
        .map(([k, [x]]) => `${k}=${JSON.stringify(x)}`)
        .join(', ');
      if (v.status === 'NOT_FOUND')
        throw new HttpError(422, 'feature_not_found', `the feature store has no \`${f.ref}\` for ${keys}`);
      throw new HttpError(
        503,
        'feature_unavailable',
        `the feature store's \`${f.ref}\` for ${keys} is ${status.replace(/_/g, ' ')} and the feature has no default`,
      );
    }
    return { record: out, report };
  }

  /** Counts a retrieval's fetch time, values by status and source, and the age of stored values. */
  report(r: RetrievalReport): void {
    if (r.fetchSeconds !== undefined) this.metrics.fetched(r.fetchSeconds);
    for (const v of r.values) {
      const time = v.eventTimestamp === undefined ? Number.NaN : Date.parse(v.eventTimestamp);
      this.metrics.value(v.feature, v.status, v.source, Number.isFinite(time) ? (r.servedAt - time) / 1000 : undefined);
    }
  }

  close(): void {
    this.#client.close();
  }

  async #fetch(
    wanted: readonly { readonly ref: string; readonly column: string }[],
    entities: Record<string, [number | string]>,
  ): Promise<Fetched> {
    const request: GetOnlineFeaturesRequest = {
      features: wanted.map((f) => f.ref),
      entities,
      full_feature_names: true,
    };
    const start = this.clock();
    let answer: { status: number; text: string };
    try {
      answer = await this.#client.post(PATH, JSON.stringify(request), {}, this.#timeoutMs);
    } catch (e) {
      if (!(e instanceof HttpFailed)) throw e;
      this.metrics.failed(e.failure.kind);
      if (e.failure.kind === 'timeout')
        throw new HttpError(
          504,
          'feature_store_timeout',
          `the feature server did not answer within ${this.#timeoutMs} ms`,
        );
      throw new HttpError(503, 'feature_store_unavailable', `the feature server cannot be reached: ${e.message}`);
    }
    const seconds = (this.clock() - start) / 1000;
    // An answer the runtime cannot use is reported now: the request is refused with a 502.
    const unusable = (reason: 'error_status' | 'bad_answer', message: string) => {
      this.metrics.fetched(seconds);
      this.metrics.failed(reason);
      return new HttpError(502, 'feature_store_error', message);
    };
    if (answer.status < 200 || answer.status >= 300)
      throw unusable('error_status', `the feature server answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    try {
      const values = parseOnlineFeatures(
        JSON.parse(answer.text),
        wanted.map((f) => f.column),
      );
      return { values, seconds };
    } catch (e) {
      throw unusable('bad_answer', `the feature server's answer is not usable: ${(e as Error).message}`);
    }
  }
}
