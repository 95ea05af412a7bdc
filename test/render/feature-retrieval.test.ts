// What a serving tier needs for online feature retrieval, and the network path it gets.
import { describe, expect, it } from 'vitest';
import { featureRetrievalPlan } from '../../compiler/render/base/feature-retrieval.js';
import { renderSystem } from '../../compiler/render/system.js';
import { cardFraudSpec, example, exampleSystems, resolveVariants } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

describe('feature retrieval plan', () => {
  it('names the feature server, entity keys and the feature reference of every model input', async () => {
    const plan = featureRetrievalPlan(example(await exampleSystems(), 'card-fraud', 'prod'), 'standard')!;
    expect(plan).toEqual({
      url: 'http://card-fraud-feature-server.fraud-prod.svc:6566',
      featureService: 'fraud_detection_v3',
      entityKeys: ['card_id', 'merchant_id'],
      featureRefs: [
        'card_txn_stats:txn_count_1h',
        'card_txn_stats:avg_amount_24h',
        'card_txn_stats:card_age_days',
        'merchant_risk:merchant_risk_score',
        'merchant_risk:merchant_category',
      ],
      inputs: {
        input: [
          { name: 'amount' },
          { name: 'txn_count_1h', ref: 'card_txn_stats:txn_count_1h' },
          { name: 'avg_amount_24h', ref: 'card_txn_stats:avg_amount_24h' },
          { name: 'card_age_days', ref: 'card_txn_stats:card_age_days' },
          { name: 'merchant_risk_score', ref: 'merchant_risk:merchant_risk_score' },
          { name: 'merchant_category', ref: 'merchant_risk:merchant_category' },
        ],
      },
    });
  });

  it('a model fed only by the caller retrieves nothing, and the feature server admits no tier', async () => {
    const spec = cardFraudSpec();
    spec.metadata.name = 'request-only';
    const inputs = spec.model.signature.inputs[0].features as string[];
    spec.model.requestFeatures = Object.fromEntries(inputs.map((f) => [f, { dtype: 'float32' }]));
    spec.features.services.fraud_detection_v3.features = ['card_txn_stats:txn_count_1h'];
    spec.model.signature.inputs[0].features = inputs.filter((f) => f !== 'txn_count_1h');
    spec.model.signature.inputs[0].shape = [-1, 5];
    delete spec.model.baseline.features.txn_count_1h;
    delete spec.model.requestFeatures.txn_count_1h;
    spec.environments = { prod: { cluster: 'prod-eu' } };
    const [system] = await resolveVariants({ 'request-only': spec }, (p) => {
      p.teams['payments-risk'].gpuQuota = { l4: 100 };
    });
    expect(featureRetrievalPlan(system!, 'standard')).toBeUndefined();
    const set = renderSystem(system!);
    const server = set.objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'request-only-feature-server',
    );
    const ports = ((server!.spec as Json).ingress as Json[]).map((r) => r.ports[0].port);
    expect(ports).not.toContain(6566);
    expect(set.objects.some((o) => o.metadata.name.endsWith('-to-feature-server'))).toBe(false);
  });
});
