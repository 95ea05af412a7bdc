// Shared building blocks of the spec schemas. Every schema in mlspec is written once, with
// TypeBox: the TypeScript types (Static<>) and the published JSON Schema come from the same value.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Closed } from '../../core/schema/typebox.js';
import {
  CRON,
  DNS_LABEL,
  DURATION,
  IDENTIFIER,
  IMAGE,
  LABEL_KEY,
  QUANTITY,
  SHA256_HEX,
} from '../../core/schema/patterns.js';

/**
 * A map keyed by name. Named collections are maps, not lists, so that an environment can
 * override one entry (`serving.tiers.gpu.replicas.max`) without repeating the whole list.
 */
export function NamedMap<T extends TSchema>(value: T, namePattern: string, description: string, minProperties = 0) {
  return Type.Record(Type.String(), value, {
    description,
    propertyNames: { pattern: namePattern },
    ...(minProperties > 0 ? { minProperties } : {}),
  });
}

export const Name = (description: string, maxLength = 40) =>
  Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength, description });

export const Identifier = (description: string) =>
  Type.String({ pattern: IDENTIFIER, minLength: 1, maxLength: 63, description });

export const Duration = (description: string) => Type.String({ pattern: DURATION, description });

export const Cron = (description: string) => Type.String({ pattern: CRON, description });

export const Quantity = (description: string) =>
  Type.Union([Type.String({ pattern: QUANTITY }), Type.Number({ exclusiveMinimum: 0 })], { description });

export const Sha256 = (description: string) => Type.String({ pattern: SHA256_HEX, description });

export const Image = (description: string) => Type.String({ pattern: IMAGE, description });

export const Uri = (description: string) => Type.String({ pattern: '^[a-z][a-z0-9+.-]*://\\S+$', description });

export const LabelMap = (description: string) =>
  Type.Record(Type.String(), Type.String({ maxLength: 63, pattern: '^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$' }), {
    description,
    propertyNames: { pattern: LABEL_KEY },
  });

export const AcceleratorRequest = Closed(
  {
    type: Type.String({
      pattern: DNS_LABEL,
      description: 'Logical accelerator type defined by the cluster profile, e.g. `a100-80gb` or `l4`.',
    }),
    count: Type.Integer({
      minimum: 1,
      maximum: 16,
      default: 1,
      description: 'Accelerators per pod (whole GPUs or MIG slices).',
    }),
    mig: Type.Optional(
      Type.String({
        pattern: '^[0-9]+g\\.[0-9]+gb$',
        description: 'MIG profile such as `1g.10gb`; the cluster profile maps it to a resource name.',
      }),
    ),
  },
  {
    description: 'Accelerators for one pod. Node labels, tolerations and resource names come from the cluster profile.',
  },
);
export type AcceleratorRequest = Static<typeof AcceleratorRequest>;

export const Resources = Closed(
  {
    cpu: Quantity('CPU request; the limit is the same unless `cpuLimit` is set.'),
    memory: Quantity('Memory request and limit, e.g. `4Gi`.'),
    cpuLimit: Type.Optional(Quantity('CPU limit when it should differ from the request.')),
    ephemeralStorage: Type.Optional(Quantity('Scratch space request and limit. Default `1Gi`.')),
    accelerator: Type.Optional(AcceleratorRequest),
  },
  { description: 'Compute resources of one pod. Requests and limits are always both set.' },
);
export type Resources = Static<typeof Resources>;

/** A metric bound: at least one of min and max. */
export const Bound = Type.Object(
  {
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, minProperties: 1, description: 'Threshold: `min`, `max` or both.' },
);
export type Bound = Static<typeof Bound>;
