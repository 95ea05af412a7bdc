import { Type, type Static } from '@sinclair/typebox';
import { API_VERSION, DNS_LABEL } from '../../core/schema/patterns.js';
import { Closed } from '../../core/schema/typebox.js';
import { NamedMap, Name } from './common.js';
import { Compliance, Metadata } from './metadata.js';
import { Features } from './features.js';
import { Training } from './training.js';
import { Model } from './model.js';
import { Serving } from './serving.js';
import { Rollout } from './rollout.js';
import { Monitoring } from './monitoring.js';

/** Sections an environment may override. `metadata.name` and `metadata.team` are fixed per system. */
export const OVERRIDABLE_SECTIONS = [
  'metadata',
  'compliance',
  'features',
  'training',
  'model',
  'serving',
  'rollout',
  'monitoring',
] as const;

export const Environment = Closed(
  {
    cluster: Name('Cluster profile from the platform config this environment deploys to.', 63),
    overrides: Type.Optional(
      Type.Object(
        Object.fromEntries(
          OVERRIDABLE_SECTIONS.map((s) => [s, Type.Optional(Type.Union([Type.Object({}), Type.Null()]))]),
        ),
        {
          additionalProperties: false,
          description:
            'Any part of the spec, merged onto the base: maps merge key by key, lists and scalars replace, ' +
            '`null` removes the key.',
        },
      ),
    ),
  },
  { description: 'A deployment target: a cluster profile plus what differs from the base spec.' },
);
export type Environment = Static<typeof Environment>;

export const MLSystem = Closed(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal('MLSystem'),
    metadata: Metadata,
    compliance: Compliance,
    features: Features,
    training: Training,
    model: Model,
    serving: Serving,
    rollout: Type.Optional(Rollout),
    monitoring: Monitoring,
    environments: NamedMap(Environment, DNS_LABEL, 'Environments by name (`dev`, `staging`, `prod`, ...).', 1),
  },
  {
    $id: 'https://mlspec.io/schemas/v1alpha1/mlsystem.json',
    title: 'mlspec MLSystem',
    description: 'One ML system: its features, training, model, serving, rollout, monitoring and environments.',
  },
);
export type MLSystem = Static<typeof MLSystem>;

/** A system after an environment's overrides are merged in: no environments left to resolve. */
export type MLSystemBody = Omit<MLSystem, 'environments'>;
