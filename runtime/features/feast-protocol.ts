// The Feast feature server's HTTP API for online retrieval (`feast serve`, POST
// /get-online-features), as Feast defines it:
// - request: sdk/python/feast/feature_server.py, `GetOnlineFeaturesRequest`: `entities` (join
//   key → list of values), `features` (`view:feature` references) or `feature_service`, and
//   `full_feature_names`;
// - response: protos/feast/serving/ServingService.proto, `GetOnlineFeaturesResponse`, printed
//   by the server with protobuf's MessageToDict(preserving_proto_field_name=True) after
//   sdk/python/feast/proto_json.py patched it: `metadata.feature_names` is a plain list, and
//   `results` holds one vector per name in that order ("columnar"), each with `values` (plain
//   JSON values, null when unset), `statuses` (FieldStatus names) and `event_timestamps` (RFC
//   3339) for every entity row. With full_feature_names, feature columns are named
//   `<view>__<feature>`; entity columns keep their join key.
// test/runtime/fixtures/feast/ holds such an answer; the test's feature server answers in it.

export type FieldStatus = 'INVALID' | 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

export interface GetOnlineFeaturesRequest {
  readonly features: readonly string[];
  readonly entities: Readonly<Record<string, readonly (number | string)[]>>;
  readonly full_feature_names: boolean;
}

export interface FeatureValue {
  readonly value: unknown;
  readonly status: FieldStatus;
  /** The value's event timestamp as the answer gives it (RFC 3339), when it gives one. */
  readonly eventTimestamp: string | undefined;
}

/** `view:feature` → the column name the server uses with full_feature_names. */
export function fullFeatureName(ref: string): string {
  return ref.replace(':', '__');
}

/**
 * The first entity row of each named column; throws on an answer that is not the documented
 * shape (the caller turns that into a 502).
 */
export function parseOnlineFeatures(body: unknown, names: readonly string[]): Map<string, FeatureValue> {
  const b = body as { metadata?: { feature_names?: unknown }; results?: unknown } | undefined;
  const featureNames = b?.metadata?.feature_names;
  const results = b?.results;
  if (!Array.isArray(featureNames) || !Array.isArray(results) || results.length !== featureNames.length)
    throw new Error('the answer has no `metadata.feature_names` list matched by `results`');
  const out = new Map<string, FeatureValue>();
  for (const name of names) {
    const i = featureNames.indexOf(name);
    if (i < 0) throw new Error(`the answer has no column \`${name}\``);
    const column = results[i] as { values?: unknown[]; statuses?: unknown[]; event_timestamps?: unknown[] };
    if (!Array.isArray(column?.values) || !Array.isArray(column.statuses))
      throw new Error(`column \`${name}\` has no \`values\` and \`statuses\``);
    const ts = column.event_timestamps?.[0];
    out.set(name, {
      value: column.values[0] ?? null,
      status: (column.statuses[0] as FieldStatus | undefined) ?? 'INVALID',
      eventTimestamp: typeof ts === 'string' ? ts : undefined,
    });
  }
  return out;
}
