// Shared building blocks of the spec schemas. Every schema in mlspec is written once, with
// TypeBox: the TypeScript types (Static<>) and the published JSON Schema come from the same value.
import { Type, type Static, type TSchema, type ObjectOptions, type SchemaOptions } from '@sinclair/typebox';

export const API_GROUP = 'mlspec.io';
export const API_VERSION = `${API_GROUP}/v1alpha1`;

/** A closed object: unknown keys are errors (typos must not pass silently). */
export function Closed<T extends Parameters<typeof Type.Object>[0]>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

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

/**
 * A string from a fixed list. Written as a JSON Schema `enum` (not a union of literals) so a
 * wrong value gets one clear error listing the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** DNS-1123 label: becomes part of Kubernetes object names. */
export const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
export const Name = (description: string, maxLength = 40) =>
  Type.String({ pattern: DNS_LABEL, minLength: 1, maxLength, description });

/** Feature and column identifiers: snake_case, as Feast and most feature stores expect. */
export const IDENTIFIER = '^[a-z_][a-z0-9_]*$';
export const Identifier = (description: string) =>
  Type.String({ pattern: IDENTIFIER, minLength: 1, maxLength: 63, description });

/** Go-style duration: "500ms", "30s", "15m", "24h", "7d", "1h30m". */
export const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$';
export const Duration = (description: string) => Type.String({ pattern: DURATION, description });

/** Five-field cron expression (or a @hourly/@daily/@weekly/@monthly macro). */
export const CRON = '^(@(hourly|daily|weekly|monthly|yearly)|(\\S+\\s+){4}\\S+)$';
export const Cron = (description: string) => Type.String({ pattern: CRON, description });

/** Kubernetes resource quantity ("500m", "2", "16Gi"). */
export const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$';
export const Quantity = (description: string) =>
  Type.Union([Type.String({ pattern: QUANTITY }), Type.Number({ exclusiveMinimum: 0 })], { description });

/** Cloud region: `eu-west-1` (AWS), `europe-west4` (GCP), `me-central-1`. */
export const REGION = '^[a-z]{2,}(-[a-z]+)*-?[0-9]+[a-z]?$';

export const SHA256_HEX = '^[a-f0-9]{64}$';
export const Sha256 = (description: string) => Type.String({ pattern: SHA256_HEX, description });

/** A container image reference; `@sha256:` pins it by digest. */
export const IMAGE = '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\\w][\\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$';
export const Image = (description: string) => Type.String({ pattern: IMAGE, description });

export const Uri = (description: string) =>
  Type.String({ pattern: '^[a-z][a-z0-9+.-]*://\\S+$', description });

/** Kubernetes label key and value syntax, for user-supplied labels and node selectors. */
export const LABEL_KEY = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
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
    count: Type.Integer({ minimum: 1, maximum: 16, default: 1, description: 'Accelerators per pod (whole GPUs or MIG slices).' }),
    mig: Type.Optional(
      Type.String({
        pattern: '^[0-9]+g\\.[0-9]+gb$',
        description: 'MIG profile such as `1g.10gb`; the cluster profile maps it to a resource name.',
      }),
    ),
  },
  { description: 'Accelerators for one pod. Node labels, tolerations and resource names come from the cluster profile.' },
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

/** How each pattern is described to a person whose value does not match it. */
export const PATTERN_HINTS: ReadonlyMap<string, string> = new Map([
  [DNS_LABEL, 'lowercase letters, digits and `-`, starting with a letter and not ending with `-` (a Kubernetes name)'],
  [IDENTIFIER, 'snake_case: lowercase letters, digits and `_`, not starting with a digit'],
  [DURATION, 'a duration such as `500ms`, `30s`, `15m`, `24h`, `7d` or `1h30m`'],
  [CRON, 'a five-field cron expression such as `0 3 * * *`, or `@daily`'],
  [QUANTITY, 'a Kubernetes quantity such as `500m`, `2`, `512Mi` or `16Gi`'],
  [SHA256_HEX, '64 lowercase hex characters (the output of `sha256sum`)'],
  [IMAGE, 'an image reference such as `registry.example.com/team/app:1.2@sha256:<64 hex>`'],
  [REGION, 'a cloud region such as `eu-west-1` or `europe-west4`'],
  [LABEL_KEY, 'a Kubernetes label key such as `app.kubernetes.io/name`'],
]);
