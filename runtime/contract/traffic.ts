// How live traffic reaches the variants of a tier: the variants themselves, the split, sticky
// assignment, who may override it, shadow copies and the canary's progression, gate and shared
// state. Part of the runtime config (config.ts).
import { type Static, Type } from '@sinclair/typebox';
import { IDENTIFIER, SHA256_HEX } from '../../core/schema/patterns.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import {
  DEFAULT_OVERRIDE_HEADER,
  DEFAULT_OVERRIDE_SECRET_HEADER,
  GATE_DEFAULTS,
  ROLLOUT_STATE_DEFAULTS,
  SHADOW_DEFAULTS,
} from './constants.js';

export const StickyKey = Closed(
  {
    header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]+$', description: 'HTTP header carrying the key.' })),
    field: Type.Optional(
      Type.String({
        pattern: IDENTIFIER,
        minLength: 1,
        maxLength: 63,
        description: 'Request field (feature) carrying the key.',
      }),
    ),
  },
  {
    minProperties: 1,
    maxProperties: 1,
    description: 'Where the assignment key comes from: either `header` or `field`.',
  },
);
export type StickyKey = Static<typeof StickyKey>;

export const VariantRole = StringEnum(['stable', 'canary', 'preview', 'shadow', 'variant'] as const, {
  description:
    '`stable`: current release; `canary`: new release getting a growing share; `preview`: blue-green candidate ' +
    'reachable only by override; `shadow`: gets copies, answers are discarded; `variant`: an A/B arm.',
});
export type VariantRole = Static<typeof VariantRole>;

export const PinnedFile = Closed({
  path: Type.String({ minLength: 1, description: 'Relative to the config folder, like the model path.' }),
  sha256: Type.String({ pattern: SHA256_HEX }),
});
export type PinnedFile = Static<typeof PinnedFile>;

export const Variant = Closed({
  name: Type.String({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' }),
  version: Type.String({ minLength: 1 }),
  role: VariantRole,
  path: Type.String({ minLength: 1, description: 'Local ONNX file, fetched by the init container.' }),
  sha256: Type.String({ pattern: SHA256_HEX }),
  uri: Type.Optional(Type.String({ description: 'Where the file came from (informational, for lineage).' })),
  externalData: Type.Optional(
    Type.Array(PinnedFile, {
      minItems: 1,
      description:
        'ONNX external data files (weights kept outside the protobuf, as models above 2 GB must), each pinned by ' +
        'sha256. They must sit where the model names them: onnxruntime opens them relative to the model file.',
    }),
  ),
});
export type Variant = Static<typeof Variant>;

export const CanaryGate = Closed({
  windowSeconds: Type.Number({ exclusiveMinimum: 0 }),
  minRequests: Type.Integer({ minimum: 1 }),
  maxErrorRate: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: 'Server errors (5xx) over live requests to the canary.' }),
  ),
  maxP99LatencySeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  maxP99Ratio: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description: "Canary p99 over stable's p99, both over the same window (queueing they share cancels out).",
    }),
  ),
  minLatencySamples: Type.Optional(
    Type.Integer({
      minimum: 1,
      default: GATE_DEFAULTS.minLatencySamples,
      description: 'Requests of each variant before its p99 is judged.',
    }),
  ),
});
export type CanaryGate = Static<typeof CanaryGate>;

export const PrometheusState = Closed({
  url: Type.String({ pattern: '^https?://', description: 'Prometheus HTTP API base URL (`/api/v1/query` is added).' }),
  selector: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String(), {
      description: "Label matchers that find this tier's pods (for example `namespace` and `service`).",
    }),
  ),
  intervalSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: ROLLOUT_STATE_DEFAULTS.intervalSeconds })),
  lookbackSeconds: Type.Optional(Type.Integer({ minimum: 60, default: ROLLOUT_STATE_DEFAULTS.lookbackSeconds })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, default: ROLLOUT_STATE_DEFAULTS.timeoutMs })),
  bearerTokenFile: Type.Optional(Type.String({ minLength: 1 })),
});
export type PrometheusState = Static<typeof PrometheusState>;

export const CanaryPolicy = Closed({
  stable: Type.String(),
  canary: Type.String(),
  steps: Type.Array(
    Closed({ weight: Type.Number({ minimum: 0, maximum: 100 }), pauseSeconds: Type.Number({ minimum: 0 }) }),
    { description: 'Progression the runtime walks while the gate holds; a breach drains the canary.' },
  ),
  gate: CanaryGate,
  state: Type.Optional(
    Closed(
      { prometheus: PrometheusState },
      {
        description:
          'Where the replicas of a tier share the canary: gates are computed from the Prometheus that scrapes them ' +
          'and the step and drain each replica exports. Without it each process walks and judges alone.',
      },
    ),
  ),
});
export type CanaryPolicy = Static<typeof CanaryPolicy>;

export const OverrideAccess = Closed(
  {
    secretFile: Type.Optional(
      Type.String({ minLength: 1, description: 'File holding the shared secret (a mounted Secret).' }),
    ),
    secretHeader: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]+$', default: DEFAULT_OVERRIDE_SECRET_HEADER })),
    allowSources: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' }), {
        minItems: 1,
        description: 'Client address ranges (CIDR) allowed to override; behind a mesh proxy use the secret.',
      }),
    ),
  },
  { description: 'Overrides are off unless this is present; a request must pass every check that is configured.' },
);
export type OverrideAccess = Static<typeof OverrideAccess>;

export const Shadow = Closed({
  variant: Type.String(),
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  maxQueued: Type.Optional(
    Type.Integer({ minimum: 0, default: SHADOW_DEFAULTS.maxQueued, description: 'Copies waiting; beyond, dropped.' }),
  ),
  maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, default: SHADOW_DEFAULTS.maxConcurrent })),
});
export type Shadow = Static<typeof Shadow>;

export const Traffic = Closed({
  strategy: StringEnum(['single', 'canary', 'blueGreen', 'abTest', 'shadow'] as const),
  weights: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 }), {
    description: 'Percent of live traffic per serving variant (shadow and preview variants get 0). Sums to 100.',
  }),
  stickyKey: Type.Optional(StickyKey),
  overrideHeader: Type.String({ default: DEFAULT_OVERRIDE_HEADER }),
  override: Type.Optional(OverrideAccess),
  shadow: Type.Optional(Shadow),
  canary: Type.Optional(CanaryPolicy),
});
export type Traffic = Static<typeof Traffic>;
