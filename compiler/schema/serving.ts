import { Type, type Static } from '@sinclair/typebox';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { DNS_LABEL } from '../../core/schema/patterns.js';
import { Duration, NamedMap, Resources } from './common.js';

export const Autoscaling = Closed(
  {
    metric: StringEnum(['cpu', 'requestsPerSecond', 'inflightRequests'], {
      description: '`cpu` (utilization %), `requestsPerSecond` or `inflightRequests` per pod (KEDA + Prometheus).',
    }),
    target: Type.Number({ exclusiveMinimum: 0, description: 'Target value per pod.' }),
  },
  { description: 'What the autoscaler holds steady.' },
);

export const Batching = Closed(
  {
    maxBatchSize: Type.Integer({ minimum: 2, maximum: 1024 }),
    maxDelay: Duration('Longest a request waits for a batch to fill, e.g. `5ms`.'),
  },
  { description: 'Server-side micro-batching.' },
);

export const ServingTier = Closed(
  {
    description: Type.Optional(Type.String({ description: 'Who this tier is for, e.g. "small customers".' })),
    replicas: Closed(
      {
        min: Type.Integer({ minimum: 1, maximum: 1000 }),
        max: Type.Integer({ minimum: 1, maximum: 1000 }),
      },
      { description: 'Replica range for the autoscaler.' },
    ),
    autoscaling: Autoscaling,
    resources: Resources,
    latencySlo: Closed(
      {
        p99: Duration('99th percentile latency objective, e.g. `50ms`.'),
        p50: Type.Optional(Duration('Median latency objective.')),
      },
      { description: 'Latency objective measured at the runtime.' },
    ),
    batching: Type.Optional(Batching),
  },
  { description: 'One serving deployment class. GPU tiers set `resources.accelerator`.' },
);
export type ServingTier = Static<typeof ServingTier>;

export const Serving = Closed(
  {
    tiers: NamedMap(ServingTier, DNS_LABEL, 'Tiers by name (`cpu`, `gpu`, ...).', 1),
  },
  { description: 'How the model is served.' },
);
export type Serving = Static<typeof Serving>;
