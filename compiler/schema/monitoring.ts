import { Type, type Static } from '@sinclair/typebox';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { Duration, Identifier, NamedMap } from './common.js';
import { IDENTIFIER } from '../../core/schema/patterns.js';

export const Drift = Closed(
  {
    threshold: Type.Number({
      exclusiveMinimum: 0,
      default: 0.2,
      description: 'PSI above which a feature counts as drifted.',
    }),
    alpha: Type.Number({
      exclusiveMinimum: 0,
      maximum: 0.5,
      default: 0.01,
      description: 'Significance level of the two-sample tests.',
    }),
    correction: StringEnum(['benjamini-hochberg', 'bonferroni'], {
      default: 'benjamini-hochberg',
      description: 'Multiple-testing correction across features.',
    }),
    window: Duration('Window of live traffic compared with the baseline. Default `1h`.'),
    minSamples: Type.Integer({
      minimum: 1,
      default: 500,
      description: 'No verdict before this many samples in the window.',
    }),
    features: Type.Optional(
      NamedMap(
        Closed({
          threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          ignore: Type.Optional(Type.Boolean()),
        }),
        IDENTIFIER,
        'Per-feature threshold, or `ignore: true`.',
      ),
    ),
  },
  { description: 'Drift detection: PSI per feature plus KS (numeric) or chi-squared (categorical) tests.' },
);
export type Drift = Static<typeof Drift>;

export const Monitoring = Closed(
  {
    drift: Drift,
    slos: Closed(
      {
        errorRate: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.01,
          description: 'Highest acceptable fraction of failed requests.',
        }),
        accuracy: Type.Optional(
          Closed({
            metric: Identifier('Online accuracy metric reported by the label-join job, e.g. `auc`.'),
            min: Type.Number(),
            window: Duration('Evaluation window, e.g. `7d`.'),
          }),
        ),
      },
      { description: 'Service level objectives (latency SLOs are per serving tier).' },
    ),
    alerts: Closed(
      {
        critical: Type.String({ minLength: 1, description: 'Alertmanager receiver for pages.' }),
        warning: Type.String({ minLength: 1, description: 'Alertmanager receiver for tickets.' }),
        runbookBaseUrl: Type.String({
          pattern: '^https://\\S+$',
          description: 'Runbook links are this URL plus the alert name.',
        }),
      },
      { description: 'Alert routing.' },
    ),
  },
  { description: 'What is watched in production, and who is told.' },
);
export type Monitoring = Static<typeof Monitoring>;
