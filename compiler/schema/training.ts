import { Type, type Static } from '@sinclair/typebox';
import { Bound, Cron, Duration, Image, NamedMap, Quantity, Resources, Uri } from './common.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { IDENTIFIER } from '../../core/schema/patterns.js';

export const Dataset = Closed(
  {
    uri: Uri('Location of the dataset snapshot.'),
    version: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'Dataset version.',
    }),
    digest: Type.String({
      pattern: '^sha256:[a-f0-9]{64}$',
      description: 'Content digest of the snapshot, `sha256:<hex>`.',
    }),
    format: Type.Optional(StringEnum(['parquet', 'csv', 'tfrecord', 'delta'])),
  },
  { description: 'An immutable, versioned training input. Its version and digest are part of the lineage.' },
);
export type Dataset = Static<typeof Dataset>;

export const Step = Closed(
  {
    image: Image('Container image; pin with `@sha256:` where the cluster profile requires digests.'),
    command: Type.Optional(Type.Array(Type.String())),
    args: Type.Optional(Type.Array(Type.String())),
    env: Type.Optional(
      Type.Record(Type.String(), Type.String(), { propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } }),
    ),
    resources: Resources,
    sharedMemory: Type.Optional(
      Quantity(
        'Size of the `/dev/shm` memory volume (NCCL, data loader workers); it counts against `memory`. ' +
          'Default a quarter of `memory`.',
      ),
    ),
    timeout: Type.Optional(Duration('Deadline of this step. Default `2h`.')),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: 'Retries on failure. Default 1.' })),
  },
  { description: 'One container step of the training pipeline.' },
);
export type Step = Static<typeof Step>;

export const Distributed = Closed(
  {
    workers: Type.Integer({
      minimum: 2,
      maximum: 256,
      description: 'Number of worker pods, each with the step resources.',
    }),
    framework: StringEnum(['pytorch', 'tensorflow', 'jax'], { default: 'pytorch' }),
  },
  { description: 'Data-parallel training across several pods.' },
);

export const TrainStep = Type.Composite([Step, Closed({ distributed: Type.Optional(Distributed) })], {
  additionalProperties: false,
  description: 'The train step; may be distributed.',
});
export type TrainStep = Static<typeof TrainStep>;

export const Pipeline = Closed(
  {
    preprocess: Step,
    train: TrainStep,
    validate: Step,
    register: Step,
  },
  { description: 'The four steps, run in this order. `validate` must write the gate metrics.' },
);
export type Pipeline = Static<typeof Pipeline>;

export const DriftTrigger = Closed(
  {
    enabled: Type.Boolean({ default: true }),
    cooldown: Duration('Minimum time between two drift-triggered runs. Default `24h`.'),
  },
  { description: 'Retrain when the serving runtime reports dataset drift.' },
);

export const Training = Closed(
  {
    datasets: NamedMap(Dataset, IDENTIFIER, 'Input datasets by name.'),
    pipeline: Pipeline,
    checkpoints: Type.Optional(
      Closed({ size: Quantity('Size of the checkpoint volume (encrypted storage class of the cluster).') }),
    ),
    validationGates: NamedMap(Bound, IDENTIFIER, 'Metric thresholds the candidate must meet before it is registered.'),
    triggers: Type.Optional(
      Closed(
        {
          schedule: Type.Optional(Cron('Cron schedule of regular retraining.')),
          drift: Type.Optional(DriftTrigger),
        },
        { description: 'What starts a retraining run besides a change of data or code.' },
      ),
    ),
  },
  { description: 'Training pipeline, inputs and promotion gates.' },
);
export type Training = Static<typeof Training>;
