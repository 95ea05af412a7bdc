// The spec's feature definitions as a Feast repository module, `features.py`, written with the
// Feast 0.40 Python SDK (Feast has no declarative format for definitions: `feast apply` imports
// the repository's Python files). Pure text generation, deterministic: entities, sources,
// views and services in name order; Python variables carry a kind prefix (`view_`,
// `entity_`) so no spec name can clash with a Python keyword or an import.
//
// - A view with a stream source reads from a PushSource wrapping its batch source: the
//   generated ingestion process (feature-ingest.ts) pushes stream rows to the online store,
//   and materialization still backfills from the batch source.
// - Feast entities have exactly one join key; a spec entity with several becomes one Feast
//   entity per key (`<entity>__<key>`), and its views list them all (a composite key).
import type { ResolvedSystem } from '../../resolve/resolved.js';
import type { FeatureDtype, FeatureView } from '../../schema/features.js';
import { durationSeconds } from '../../schema/duration.js';
import { bigQueryTable, FEAST_VERSION, offlineKind } from './store-config.js';

const FEAST_TYPE: Record<FeatureDtype, string> = {
  int32: 'Int32',
  int64: 'Int64',
  float32: 'Float32',
  float64: 'Float64',
  string: 'String',
  bool: 'Bool',
  bytes: 'Bytes',
  unix_timestamp: 'UnixTimestamp',
};

const VALUE_TYPE: Record<FeatureDtype, string> = {
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  string: 'STRING',
  bool: 'BOOL',
  bytes: 'BYTES',
  unix_timestamp: 'UNIX_TIMESTAMP',
};

/** A Python string literal (JSON string syntax is a subset of Python's). */
export const py = (text: string): string => JSON.stringify(text);

const sortedKeys = (o: Readonly<Record<string, unknown>>): string[] => Object.keys(o).sort();

/** Name of the PushSource of a streamed view: what the ingestion process pushes to. */
export const pushSourceName = (view: string): string => `${view}_push`;
const batchSourceName = (view: string): string => `${view}_batch`;

interface FeastEntity {
  readonly variable: string;
  readonly name: string;
  readonly joinKey: string;
  readonly dtype: FeatureDtype;
  readonly personalData: boolean;
  readonly description?: string;
}

/** Feast entities for one spec entity (one per join key). */
function feastEntities(s: ResolvedSystem, entity: string): FeastEntity[] {
  const spec = s.spec.features.entities[entity]!;
  const keys = sortedKeys(spec.joinKeys);
  return keys.map((key) => {
    const name = keys.length === 1 ? entity : `${entity}__${key}`;
    const k = spec.joinKeys[key]!;
    return {
      variable: `entity_${name}`,
      name,
      joinKey: key,
      dtype: k.dtype,
      personalData: k.personalData ?? false,
      description: spec.description,
    };
  });
}

function kwargs(args: readonly (string | undefined)[]): string {
  return args
    .filter((a): a is string => a !== undefined)
    .map((a) => `    ${a},`)
    .join('\n');
}

function entityCode(e: FeastEntity): string {
  return `${e.variable} = Entity(\n${kwargs([
    `name=${py(e.name)}`,
    `join_keys=[${py(e.joinKey)}]`,
    `value_type=ValueType.${VALUE_TYPE[e.dtype]}`,
    e.description ? `description=${py(e.description)}` : undefined,
  ])}\n)`;
}

function batchSourceCode(name: string, view: FeatureView): string {
  const src = view.batchSource;
  const created = src.createdTimestampField ? `created_timestamp_column=${py(src.createdTimestampField)}` : undefined;
  if (offlineKind(src.uri) === 'bigquery') {
    const args = [
      `name=${py(batchSourceName(name))}`,
      `table=${py(bigQueryTable(src.uri))}`,
      `timestamp_field=${py(src.timestampField)}`,
      created,
    ];
    return `source_${batchSourceName(name)} = BigQuerySource(\n${kwargs(args)}\n)`;
  }
  // Parquet, Feast's default file format (the spec names folders of snapshot files).
  const args = [
    `name=${py(batchSourceName(name))}`,
    `path=${py(src.uri)}`,
    `timestamp_field=${py(src.timestampField)}`,
    created,
  ];
  return `source_${batchSourceName(name)} = FileSource(\n${kwargs(args)}\n)`;
}

function field(name: string, dtype: FeatureDtype, description?: string, personal?: boolean): string {
  const extra = [
    description ? `description=${py(description)}` : undefined,
    personal ? `tags={"personal_data": "true"}` : undefined,
  ].filter(Boolean);
  return `Field(name=${py(name)}, dtype=${FEAST_TYPE[dtype]}${extra.length ? `, ${extra.join(', ')}` : ''})`;
}

function viewCode(s: ResolvedSystem, name: string, view: FeatureView): string {
  const entities = view.entities.flatMap((e) => feastEntities(s, e));
  // Join keys first, as Feast lists entity columns, then the features in name order.
  const schema = [
    ...entities.map((e) => field(e.joinKey, e.dtype, undefined, e.personalData)),
    ...sortedKeys(view.features).map((f) =>
      field(f, view.features[f]!.dtype, view.features[f]!.description, view.features[f]!.personalData),
    ),
  ];
  const source = view.streamSource ? `source_${pushSourceName(name)}` : `source_${batchSourceName(name)}`;
  const tags: Record<string, string> = { 'mlspec.io/system': s.name, 'mlspec.io/freshness': view.freshness };
  if (view.streamSource) tags['mlspec.io/stream'] = `${view.streamSource.type}:${view.streamSource.topic}`;
  const parts = [batchSourceCode(name, view)];
  if (view.streamSource) {
    const args = [`name=${py(pushSourceName(name))}`, `batch_source=source_${batchSourceName(name)}`];
    parts.push(`source_${pushSourceName(name)} = PushSource(\n${kwargs(args)}\n)`);
  }
  parts.push(
    `view_${name} = FeatureView(\n${kwargs([
      `name=${py(name)}`,
      `entities=[${entities.map((e) => e.variable).join(', ')}]`,
      `ttl=timedelta(seconds=${durationSeconds(view.ttl)})`,
      `schema=[\n${schema.map((f) => `        ${f},`).join('\n')}\n    ]`,
      `source=${source}`,
      `online=${view.online ? 'True' : 'False'}`,
      `tags={${sortedKeys(tags)
        .map((k) => `${py(k)}: ${py(tags[k]!)}`)
        .join(', ')}}`,
    ])}\n)`,
  );
  return parts.join('\n\n');
}

function serviceCode(s: ResolvedSystem, name: string): string {
  const svc = s.spec.features.services[name]!;
  // Group the references by view, in the order the service lists them.
  const byView = new Map<string, string[] | '*'>();
  for (const ref of svc.features) {
    const [view, feature] = ref.split(':') as [string, string];
    const current = byView.get(view);
    if (feature === '*' || current === '*') byView.set(view, '*');
    else byView.set(view, [...(current ?? []), feature]);
  }
  const projections = [...byView.entries()].map(([view, features]) =>
    features === '*' ? `view_${view}` : `view_${view}[[${features.map(py).join(', ')}]]`,
  );
  const args = [
    `name=${py(name)}`,
    `features=[${projections.join(', ')}]`,
    svc.description ? `description=${py(svc.description)}` : undefined,
  ];
  return `service_${name} = FeatureService(\n${kwargs(args)}\n)`;
}

/** Feast types the schemas use (join keys and features). */
function usedTypes(s: ResolvedSystem): Set<string> {
  const f = s.spec.features;
  const used = new Set<string>();
  for (const view of Object.values(f.views)) {
    for (const e of view.entities)
      for (const k of Object.values(f.entities[e]!.joinKeys)) used.add(FEAST_TYPE[k.dtype]);
    for (const feature of Object.values(view.features)) used.add(FEAST_TYPE[feature.dtype]);
  }
  return used;
}

/** `features.py` for the system's feature repository. */
export function featureDefinitions(s: ResolvedSystem): string {
  const f = s.spec.features;
  const entities = sortedKeys(f.entities).flatMap((e) => feastEntities(s, e));
  const views = sortedKeys(f.views);
  const kinds = new Set(views.map((v) => offlineKind(f.views[v]!.batchSource.uri)));
  const imports = ['Entity', 'FeatureService', 'FeatureView', 'Field', 'ValueType'];
  if (kinds.has('file')) imports.push('FileSource');
  if (kinds.has('bigquery')) imports.push('BigQuerySource');
  if (views.some((v) => f.views[v]!.streamSource)) imports.push('PushSource');
  const header = [
    `# Feature definitions of ${s.name} (${s.environment}), generated by mlspec from ${s.source.file}.`,
    `# Do not edit: change the spec and compile. Feast ${FEAST_VERSION} Python SDK, applied with \`feast apply\`.`,
    'from datetime import timedelta',
    '',
    `from feast import ${imports.sort().join(', ')}`,
    `from feast.types import ${[...usedTypes(s)].sort().join(', ')}`,
  ].join('\n');
  const sections = [
    header,
    ...entities.map(entityCode),
    ...views.map((v) => viewCode(s, v, f.views[v]!)),
    ...sortedKeys(f.services).map((name) => serviceCode(s, name)),
  ];
  return `${sections.join('\n\n\n')}\n`;
}
