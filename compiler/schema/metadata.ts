import { Type, type Static } from '@sinclair/typebox';
import { SpecWaiver } from './waiver.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { Duration, LabelMap, Name } from './common.js';
import { REGION } from '../../core/schema/patterns.js';

export const Owner = Type.String({
  pattern: '^([^@\\s]+@[^@\\s]+\\.[^@\\s]+|group:[a-z0-9][a-z0-9._-]*)$',
  description: 'A team e-mail address (`ml-fraud@example.com`) or a directory group (`group:fraud-oncall`).',
});

export const Metadata = Closed(
  {
    name: Name('System name, unique across all specs. Used in every generated object name.', 30),
    team: Name('Owning team; must be registered in the platform config.'),
    owners: Type.Array(Owner, { minItems: 1, uniqueItems: true, description: 'Who answers for this system.' }),
    costCenter: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      description: 'Cost center charged for its resources.',
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    labels: Type.Optional(LabelMap('Extra labels copied onto every generated object.')),
  },
  { description: 'Identity and ownership of the ML system.' },
);
export type Metadata = Static<typeof Metadata>;

export const DataClassification = StringEnum(['public', 'internal', 'confidential', 'restricted'], {
  description: 'Highest classification of the data the system reads or produces.',
});

export const LawfulBasis = StringEnum(
  ['consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests'],
  { description: 'GDPR Art. 6 lawful basis (also accepted for UAE PDPL processing grounds).' },
);

export const PersonalData = Type.Object(
  {
    processed: Type.Boolean({ description: 'Whether the system processes personal data at all.' }),
    lawfulBasis: Type.Optional(LawfulBasis),
    retention: Type.Optional(Duration('How long personal data is kept, e.g. `365d`.')),
    purposes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Purposes of processing.' }),
    ),
    specialCategories: Type.Optional(
      Type.Boolean({ description: 'GDPR Art. 9 special categories (health, biometrics, ...).' }),
    ),
    dpiaReference: Type.Optional(Type.String({ description: 'Reference of the data protection impact assessment.' })),
  },
  {
    additionalProperties: false,
    description: 'Personal data processing. When `processed` is true, `lawfulBasis` and `retention` are required.',
    if: { properties: { processed: { const: true } } },
    then: { required: ['lawfulBasis', 'retention'] },
  },
);

export const Compliance = Closed(
  {
    dataClassification: DataClassification,
    dataResidency: Type.Array(Type.String({ pattern: REGION }), {
      minItems: 1,
      uniqueItems: true,
      description: 'Regions where the data may be stored and processed, e.g. `eu-west-1`, `me-central-1`.',
    }),
    personalData: PersonalData,
    controller: Type.Optional(Type.String({ description: 'Legal entity acting as data controller.' })),
    waivers: Type.Optional(
      Type.Array(SpecWaiver, { description: 'Exceptions to compliance policies for this system, with approval.' }),
    ),
  },
  { description: 'Data protection facts the compliance policies check.' },
);
export type Compliance = Static<typeof Compliance>;
