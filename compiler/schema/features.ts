import { Type, type Static } from '@sinclair/typebox';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { Cron, Duration, Identifier, NamedMap, Uri } from './common.js';
import { IDENTIFIER } from '../../core/schema/patterns.js';

/** Feast value types. */
export const FeatureDtype = StringEnum(
  ['int32', 'int64', 'float32', 'float64', 'string', 'bool', 'bytes', 'unix_timestamp'] as const,
  { description: 'Value type, as in Feast.' },
);
export type FeatureDtype = Static<typeof FeatureDtype>;

export const Feature = Closed({
  dtype: FeatureDtype,
  description: Type.Optional(Type.String()),
  personalData: Type.Optional(
    Type.Boolean({ description: 'The value is personal data: redacted from events and logs.' }),
  ),
});
export type Feature = Static<typeof Feature>;

export const Entity = Closed(
  {
    joinKeys: NamedMap(Feature, IDENTIFIER, 'Join keys and their types.'),
    description: Type.Optional(Type.String()),
  },
  { description: 'A business object features are about (a card, a customer).' },
);
export type Entity = Static<typeof Entity>;

export const BatchSource = Closed(
  {
    uri: Uri('Where the offline data lives: `s3://`, `gs://`, `bigquery://project.dataset.table`, `file://`.'),
    timestampField: Identifier('Event timestamp column.'),
    createdTimestampField: Type.Optional(Identifier('Row creation timestamp column, for deduplication.')),
  },
  { description: 'Offline source that the materialization job reads.' },
);

export const StreamSource = Closed(
  {
    type: StringEnum(['kafka', 'kinesis']),
    topic: Type.String({ minLength: 1 }),
    bootstrapServers: Type.Optional(
      Type.String({ minLength: 1, description: 'Kafka brokers, `host:port,host:port`.' }),
    ),
    format: StringEnum(['json', 'avro', 'protobuf'], { default: 'json' }),
    schemaRegistry: Type.Optional(
      Type.String({
        pattern: '^https?://[^/\\s]+(/\\S*)?$',
        description: 'Schema Registry URL (Avro, Protobuf); an approved endpoint of the cluster profile.',
      }),
    ),
    timestampField: Identifier('Event timestamp field in each message.'),
  },
  {
    description:
      'Real-time source pushed into the online store by an ingestion deployment. Kafka sources need ' +
      '`bootstrapServers`.',
    if: { properties: { type: { const: 'kafka' } } },
    then: { required: ['bootstrapServers'] },
  },
);

export const FeatureView = Closed(
  {
    entities: Type.Array(Identifier('Entity name.'), { minItems: 1, uniqueItems: true }),
    features: NamedMap(Feature, IDENTIFIER, 'Features of this view, by name.'),
    batchSource: BatchSource,
    streamSource: Type.Optional(StreamSource),
    ttl: Duration('How long a value stays valid in the online store.'),
    freshness: Duration('Freshness SLO: alert when the newest value is older than this.'),
    online: Type.Boolean({ default: true, description: 'Materialize into the online store.' }),
    materializeSchedule: Type.Optional(Cron('Cron schedule of materialization. Default hourly.')),
  },
  { description: 'A group of features computed from one source.' },
);
export type FeatureView = Static<typeof FeatureView>;

/** `view:feature` or `view:*`, as Feast writes feature references. */
export const FEATURE_REF = '^[a-z_][a-z0-9_]*:([a-z_][a-z0-9_]*|\\*)$';

export const FeatureService = Closed(
  {
    features: Type.Array(
      Type.String({ pattern: FEATURE_REF, description: '`view:feature`, or `view:*` for every feature of a view.' }),
      {
        minItems: 1,
        uniqueItems: true,
      },
    ),
    description: Type.Optional(Type.String()),
  },
  { description: 'The features one model reads, grouped for retrieval.' },
);
export type FeatureService = Static<typeof FeatureService>;

export const Features = Closed(
  {
    entities: NamedMap(Entity, IDENTIFIER, 'Entities by name.'),
    views: NamedMap(FeatureView, IDENTIFIER, 'Feature views by name.'),
    services: NamedMap(FeatureService, IDENTIFIER, 'Feature services by name.'),
  },
  { description: 'Feature store definitions (Feast-compatible).' },
);
export type Features = Static<typeof Features>;
