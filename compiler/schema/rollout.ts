import { Type, type Static } from '@sinclair/typebox';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { DNS_LABEL } from '../../core/schema/patterns.js';
import { Duration, Identifier, NamedMap } from './common.js';
import { Artifact } from './model.js';
import { StickyKey } from '../../runtime/contract/config.js';

const Version = Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z._+-]*$', maxLength: 63 });

export const ModelRelease = Closed(
  { version: Version, artifact: Artifact },
  { description: 'Another release of the same model (same signature).' },
);
export type ModelRelease = Static<typeof ModelRelease>;

const Weight = Type.Integer({ minimum: 0, maximum: 100, description: 'Percent of traffic.' });

export const CanaryStep = Closed({
  weight: Type.Integer({ minimum: 1, maximum: 100, description: 'Percent of traffic to the new model in this step.' }),
  pause: Duration('How long to hold this step while the analysis gates are checked.'),
});

export const AnalysisGates = Closed(
  {
    maxErrorRate: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Fraction of failed requests, e.g. 0.01.' }),
    ),
    maxP99Latency: Type.Optional(Duration('Ceiling of the p99 latency of the new model.')),
    maxDriftScore: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'Ceiling of the highest per-feature PSI.' }),
    ),
  },
  { minProperties: 1, description: 'A new model breaking any gate over the window is rolled back.' },
);
export type AnalysisGates = Static<typeof AnalysisGates>;

export const AbVariant = Closed(
  {
    weight: Weight,
    version: Type.Optional(Version),
    artifact: Type.Optional(Artifact),
    description: Type.Optional(Type.String()),
  },
  { description: 'An A/B variant; without `version`/`artifact` it serves `model`.' },
);
export type AbVariant = Static<typeof AbVariant>;

export const Rollout = Type.Object(
  {
    strategy: StringEnum(['canary', 'blueGreen', 'abTest', 'shadow']),
    stable: Type.Optional(ModelRelease),
    canary: Type.Optional(Closed({ steps: Type.Array(CanaryStep, { minItems: 1 }) })),
    blueGreen: Type.Optional(
      Closed({
        autoPromote: Type.Boolean({
          default: false,
          description: 'Promote the preview automatically once the gates pass.',
        }),
        scaleDownDelay: Duration('How long the old version keeps running after promotion. Default `10m`.'),
      }),
    ),
    shadow: Type.Optional(
      Closed({
        percent: Type.Integer({
          minimum: 1,
          maximum: 100,
          description: 'Percent of requests copied to the new model.',
        }),
      }),
    ),
    abTest: Type.Optional(
      Closed({
        variants: NamedMap(AbVariant, DNS_LABEL, 'Variants by name; weights add up to 100.'),
        stickyKey: StickyKey,
        control: Type.Optional(
          Type.String({ description: 'The variant the others are compared with. Default: the first variant.' }),
        ),
        goal: Closed({
          metric: Identifier('Outcome metric the test decides on, e.g. `click_through`.'),
          direction: StringEnum(['increase', 'decrease']),
          kind: StringEnum(['rate', 'mean'], {
            default: 'rate',
            description: '`rate`: share of units with the outcome; `mean`: average of a numeric outcome per unit.',
          }),
          minimumDetectableEffect: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              description: 'Relative effect size worth detecting, e.g. 0.02. Without it there is no planned sample.',
            }),
          ),
          alpha: Type.Number({
            exclusiveMinimum: 0,
            maximum: 0.2,
            default: 0.05,
            description: 'Significance level: the false-positive rate of the whole test (Holm-corrected).',
          }),
          power: Type.Number({
            minimum: 0.5,
            exclusiveMaximum: 1,
            default: 0.8,
            description: 'Chance of detecting an effect of the minimum size; sets the planned sample.',
          }),
          baseline: Type.Optional(
            Type.Number({
              description: 'Expected value of the metric under the control (a rate or a mean). Default: observed.',
            }),
          ),
          standardDeviation: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              description: 'Expected standard deviation of a `mean` metric per unit. Default: observed.',
            }),
          ),
        }),
      }),
    ),
    analysis: Type.Optional(
      Closed({
        interval: Duration('How often gates are evaluated. Default `1m`.'),
        window: Duration('Window the gates look back over. Default `5m`.'),
        minRequests: Type.Integer({
          minimum: 1,
          default: 100,
          description: 'No verdict before this many requests in the window.',
        }),
        gates: AnalysisGates,
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'How a new model reaches users. `canary`, `blueGreen` and `shadow` compare `model` against `stable`; ' +
      '`abTest` splits by sticky key.',
    allOf: [
      { if: { properties: { strategy: { const: 'canary' } } }, then: { required: ['stable', 'canary'] } },
      { if: { properties: { strategy: { const: 'blueGreen' } } }, then: { required: ['stable', 'blueGreen'] } },
      { if: { properties: { strategy: { const: 'shadow' } } }, then: { required: ['stable', 'shadow'] } },
      { if: { properties: { strategy: { const: 'abTest' } } }, then: { required: ['abTest'] } },
    ],
  },
);
export type Rollout = Static<typeof Rollout>;
