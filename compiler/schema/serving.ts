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

const HOSTNAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$';

export const Caller = Closed(
  {
    namespace: Type.String({ pattern: DNS_LABEL }),
    serviceAccount: Type.String({
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      maxLength: 253,
      description: 'Service account the calling pods run as.',
    }),
  },
  { description: 'A workload in the cluster that calls this system.' },
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
    route: Type.Optional(
      Closed(
        {
          hostnames: Type.Optional(
            Type.Array(Type.String({ pattern: HOSTNAME, maxLength: 253 }), {
              minItems: 1,
              uniqueItems: true,
              description: "Host names of this tier, in one of the cluster profile's `gateway.routes.domains`.",
            }),
          ),
          path: Type.Optional(
            Type.String({
              pattern: '^/[-a-z0-9_./]*$',
              description: 'Path prefix of this tier at the gateway; removed before the request reaches the runtime.',
            }),
          ),
        },
        { description: "Where the gateway exposes this tier. Default: the cluster profile's `gateway.routes`." },
      ),
    ),
  },
  { description: 'One serving deployment class. GPU tiers set `resources.accelerator`.' },
);
export type ServingTier = Static<typeof ServingTier>;

export const Serving = Closed(
  {
    tiers: NamedMap(ServingTier, DNS_LABEL, 'Tiers by name (`cpu`, `gpu`, ...).', 1),
    callers: Type.Optional(
      Type.Array(Caller, {
        uniqueItems: true,
        description:
          'Workloads inside the cluster that call the tiers directly (besides the gateway): network policy ' +
          'admits their namespace and, with Istio, the authorization policy their service account.',
      }),
    ),
  },
  { description: 'How the model is served.' },
);
export type Serving = Static<typeof Serving>;
