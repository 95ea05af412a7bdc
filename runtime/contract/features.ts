// Online feature retrieval: for model inputs whose features live in the feature store, the
// request carries entity keys and the runtime fetches the values from the Feast feature server
// (`feast serve`, HTTP `POST /get-online-features`). Part of the runtime config (config.ts).
import { type Static, Type } from '@sinclair/typebox';
import { IDENTIFIER } from '../../core/schema/patterns.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { ONLINE_FEATURES_DEFAULTS } from './constants.js';

export const FetchedFeature = Closed({
  name: Type.String({ pattern: IDENTIFIER, description: 'The model feature (an input column) this value fills.' }),
  ref: Type.String({
    pattern: '^[A-Za-z0-9_]+:[A-Za-z0-9_]+$',
    description: 'Feast feature reference `<feature view>:<feature>`.',
  }),
  default: Type.Optional(
    Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
      description:
        'Used when the store has no fresh value (NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE); without it such a ' +
        'request is refused.',
    }),
  ),
  overridable: Type.Optional(
    Type.Boolean({ default: false, description: 'A value sent in the request replaces the fetched one.' }),
  ),
});
export type FetchedFeature = Static<typeof FetchedFeature>;

export const OnlineFeatures = Closed({
  url: Type.String({
    pattern: '^https?://',
    description: 'Feature server base URL (`/get-online-features` is added).',
  }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, default: ONLINE_FEATURES_DEFAULTS.timeoutMs })),
  maxConnections: Type.Optional(Type.Integer({ minimum: 1, default: ONLINE_FEATURES_DEFAULTS.maxConnections })),
  entities: Type.Array(
    Closed({
      joinKey: Type.String({ pattern: IDENTIFIER, description: 'Entity join key; the request field of that name.' }),
      dtype: StringEnum(['INT64', 'BYTES'] as const),
    }),
    { minItems: 1 },
  ),
  features: Type.Array(FetchedFeature, { minItems: 1 }),
});
export type OnlineFeatures = Static<typeof OnlineFeatures>;
