import { Type, type Static } from '@sinclair/typebox';
import { Closed } from '../../core/schema/typebox.js';
import { InputTensor, OutputTensor } from '../../runtime/contract/tensor.js';
import { IDENTIFIER } from '../../core/schema/patterns.js';
import { Identifier, Name, NamedMap, Sha256, Uri } from './common.js';
import { FeatureDtype } from './features.js';

export const Artifact = Closed(
  {
    uri: Uri('Where the ONNX file is stored.'),
    sha256: Sha256('SHA-256 of the file; the serving runtime refuses a file that does not match.'),
  },
  { description: 'A model file, pinned by content.' },
);
export type Artifact = Static<typeof Artifact>;

export const NumericBaseline = Closed(
  {
    edges: Type.Array(Type.Number(), {
      minItems: 1,
      description: 'Inner bin edges (ascending), usually the training quantiles; k edges make k+1 bins.',
    }),
    counts: Type.Array(Type.Integer({ minimum: 0 }), {
      minItems: 2,
      description: 'Training counts per bin (edges + 1 values).',
    }),
  },
  { description: 'Numeric feature: counts over quantile bins.' },
);

export const CategoricalBaseline = Closed(
  {
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      minProperties: 1,
      description: 'Training count per category.',
    }),
    other: Type.Optional(Type.Integer({ minimum: 0, description: 'Training count of categories not listed.' })),
  },
  { description: 'Categorical feature: counts per category.' },
);

// Exactly one of the two keys (rather than a union), so a mistake gets one precise error.
export const FeatureBaseline = Closed(
  { numeric: Type.Optional(NumericBaseline), categorical: Type.Optional(CategoricalBaseline) },
  {
    minProperties: 1,
    maxProperties: 1,
    description: 'Training distribution of one feature: either `numeric` or `categorical`.',
  },
);
export type FeatureBaseline = Static<typeof FeatureBaseline>;

export const Model = Closed(
  {
    name: Name('Model name as served (`/v2/models/{name}`).'),
    version: Type.String({
      pattern: '^[0-9A-Za-z][0-9A-Za-z._+-]*$',
      maxLength: 63,
      description: 'Version of the model this spec rolls out.',
    }),
    format: Type.Literal('onnx', { description: 'Serialization format. Only ONNX is served.' }),
    artifact: Artifact,
    featureService: Identifier('Feature service that provides the model inputs.'),
    requestFeatures: Type.Optional(
      NamedMap(
        Closed({ dtype: FeatureDtype, personalData: Type.Optional(Type.Boolean()) }),
        IDENTIFIER,
        'Features the caller sends with each request.',
      ),
    ),
    signature: Closed({
      inputs: Type.Array(InputTensor, { minItems: 1 }),
      outputs: Type.Array(OutputTensor, { minItems: 1 }),
    }),
    baseline: Closed(
      {
        features: NamedMap(FeatureBaseline, IDENTIFIER, 'Per input feature.'),
      },
      { description: 'Training distributions the serving runtime compares live traffic against.' },
    ),
  },
  { description: 'The model this system serves.' },
);
export type Model = Static<typeof Model>;
