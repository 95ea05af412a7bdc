// The serving runtime's config file: the compiler writes it into a ConfigMap, the runtime reads
// it at start and on every change. This module is the one definition both sides use.
import { Type, type Static } from '@sinclair/typebox';
import { API_VERSION, IDENTIFIER, SHA256_HEX } from '../../core/schema/patterns.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { InputTensor, OutputTensor } from './tensor.js';

import { DEFAULT_OVERRIDE_HEADER, RUNTIME_CONFIG_KIND } from './constants.js';

export { DEFAULT_OVERRIDE_HEADER, RUNTIME_CONFIG_KIND };

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
    '`stable`: current release; `canary`: new release getting a growing share; `preview`: blue-green candidate reachable only by override; `shadow`: gets copies, answers are discarded; `variant`: an A/B arm.',
});
export type VariantRole = Static<typeof VariantRole>;

export const Variant = Closed({
  name: Type.String({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' }),
  version: Type.String({ minLength: 1 }),
  role: VariantRole,
  path: Type.String({ minLength: 1, description: 'Local ONNX file, fetched by the init container.' }),
  sha256: Type.String({ pattern: SHA256_HEX }),
  uri: Type.Optional(Type.String({ description: 'Where the file came from (informational, for lineage).' })),
});
export type Variant = Static<typeof Variant>;

export const CanaryGate = Closed({
  windowSeconds: Type.Number({ exclusiveMinimum: 0 }),
  minRequests: Type.Integer({ minimum: 1 }),
  maxErrorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxP99LatencySeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});
export type CanaryGate = Static<typeof CanaryGate>;

export const Traffic = Closed({
  strategy: StringEnum(['single', 'canary', 'blueGreen', 'abTest', 'shadow'] as const),
  weights: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 }), {
    description: 'Percent of live traffic per serving variant (shadow and preview variants get 0). Sums to 100.',
  }),
  stickyKey: Type.Optional(StickyKey),
  overrideHeader: Type.String({ default: DEFAULT_OVERRIDE_HEADER }),
  shadow: Type.Optional(Closed({ variant: Type.String(), percent: Type.Number({ minimum: 0, maximum: 100 }) })),
  canary: Type.Optional(
    Closed({
      stable: Type.String(),
      canary: Type.String(),
      steps: Type.Array(
        Closed({ weight: Type.Number({ minimum: 0, maximum: 100 }), pauseSeconds: Type.Number({ minimum: 0 }) }),
        {
          description: 'Progression the runtime walks while the gate holds; a breach drains the canary.',
        },
      ),
      gate: CanaryGate,
    }),
  ),
});
export type Traffic = Static<typeof Traffic>;

export const DriftFeature = Type.Union([
  Closed({
    name: Type.String(),
    kind: Type.Literal('numeric'),
    edges: Type.Array(Type.Number(), { minItems: 1 }),
    counts: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2 }),
    threshold: Type.Number({ exclusiveMinimum: 0 }),
  }),
  Closed({
    name: Type.String(),
    kind: Type.Literal('categorical'),
    categories: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    other: Type.Integer({ minimum: 0 }),
    threshold: Type.Number({ exclusiveMinimum: 0 }),
  }),
]);
export type DriftFeature = Static<typeof DriftFeature>;

export const DriftConfig = Closed({
  windowSeconds: Type.Number({ exclusiveMinimum: 0 }),
  minSamples: Type.Integer({ minimum: 1 }),
  alpha: Type.Number({ exclusiveMinimum: 0, maximum: 0.5 }),
  correction: StringEnum(['benjamini-hochberg', 'bonferroni']),
  features: Type.Array(DriftFeature),
});
export type DriftConfig = Static<typeof DriftConfig>;

export const RuntimeConfig = Closed(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal(RUNTIME_CONFIG_KIND),
    system: Type.String(),
    environment: Type.String(),
    tier: Type.String(),
    server: Closed({
      port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
      bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1048576 }),
      requestTimeoutMs: Type.Integer({ minimum: 1, default: 5000 }),
      shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 20000 }),
    }),
    model: Closed({
      name: Type.String(),
      inputs: Type.Array(InputTensor, { minItems: 1 }),
      outputs: Type.Array(OutputTensor, { minItems: 1 }),
    }),
    variants: Type.Array(Variant, { minItems: 1 }),
    traffic: Traffic,
    batching: Type.Optional(
      Closed({ maxBatchSize: Type.Integer({ minimum: 2 }), maxDelayMs: Type.Number({ minimum: 0 }) }),
    ),
    drift: DriftConfig,
    events: Type.Optional(
      Closed({
        path: Type.String({ minLength: 1, description: 'JSONL file of A/B assignments and outcomes.' }),
        sampleRate: Type.Number({ minimum: 0, maximum: 1 }),
        redactFields: Type.Array(Type.String(), { description: 'Personal-data fields never written to events.' }),
      }),
    ),
  },
  {
    $id: 'https://mlspec.io/schemas/v1alpha1/runtime-config.json',
    title: 'mlspec RuntimeConfig',
    description: 'Config of the mlspec serving runtime, generated by `mlspec compile`.',
  },
);
export type RuntimeConfig = Static<typeof RuntimeConfig>;
