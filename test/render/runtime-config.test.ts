// The serving runtime's config, as rendered into each tier's ConfigMap: it passes the
// runtime's own validation (the shared schema plus its cross-checks), and says what the spec
// says: variants and weights, canary steps and gate (with defaults from the SLOs), drift
// baselines and per-feature thresholds, batching, redaction of personal data.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../../runtime/config/validate.js';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { redactedFields, runtimeConfig } from '../../compiler/render/serving/runtime-config.js';
import { gatesFor, runtimeSplit } from '../../compiler/render/base/traffic-split.js';
import { example, exampleSystems, renderedExamples, variantSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

/** Every runtime config file of a set: `tier/file` → text. */
function configFiles(set: ManifestSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of set.objects) {
    if (o.kind !== 'ConfigMap' || !o.metadata.name.endsWith('-runtime')) continue;
    for (const [file, text] of Object.entries(o.data as Record<string, string>))
      out.set(`${o.metadata.labels?.['mlspec.io/tier']}/${file}`, text);
  }
  return out;
}

function config(set: ManifestSet, tier: string, file = 'runtime.yaml'): RuntimeConfig {
  const text = configFiles(set).get(`${tier}/${file}`);
  if (!text) throw new Error(`no ${tier}/${file} in ${set.environment}/${set.system}: ${[...configFiles(set).keys()]}`);
  return parse(text) as RuntimeConfig;
}

function without(system: ResolvedSystem, edit: (spec: any) => void): ResolvedSystem {
  const copy = structuredClone(system) as any;
  edit(copy.spec);
  return copy as ResolvedSystem;
}

describe('runtime config', () => {
  it('every config of every example and variant passes the runtime validation', async () => {
    const sets = [
      ...(await renderedExamples()).map((r) => r.set),
      ...(await variantSystems()).map((s) => renderSystem(s)),
    ];
    let files = 0;
    const problems: string[] = [];
    for (const set of sets) {
      for (const [name, text] of configFiles(set)) {
        files++;
        const r = validateConfig(text, name);
        if (!r.ok)
          problems.push(
            `${set.environment}/${set.system} ${name}: ` +
              `${r.diagnostics.map((d) => `${d.pointer} ${d.message}`).join('; ')}`,
          );
      }
    }
    expect(files).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('a canary without Argo Rollouts walks the spec steps under the analysis gate', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'staging' && r.set.system === 'card-fraud',
    )!.set;
    const c = config(set, 'standard');
    expect(c.variants.map((v) => [v.name, v.role, v.version, v.path])).toEqual([
      ['stable', 'stable', '3.1.0', '/models/stable/model.onnx'],
      ['canary', 'canary', '3.2.0', '/models/canary/model.onnx'],
    ]);
    expect(c.traffic).toMatchObject({ strategy: 'canary', weights: { stable: 50, canary: 50 } });
    expect(c.traffic.canary).toEqual({
      stable: 'stable',
      canary: 'canary',
      steps: [
        { weight: 50, pauseSeconds: 900 },
        { weight: 100, pauseSeconds: 0 },
      ],
      gate: { windowSeconds: 600, minRequests: 500, maxErrorRate: 0.005, maxP99LatencySeconds: 0.06 },
    });
    expect(config(set, 'enterprise').batching).toEqual({ maxBatchSize: 64, maxDelayMs: 2 });
  });

  it('gates default to the error-rate SLO, the tier latency SLO and the default window', async () => {
    const staging = example(await exampleSystems(), 'card-fraud', 'staging');
    const bare = without(staging, (spec) => delete spec.rollout.analysis);
    expect(gatesFor(bare, 'standard')).toEqual({
      intervalSeconds: 60,
      windowSeconds: 300,
      minRequests: 100,
      maxErrorRate: 0.005,
      maxP99LatencySeconds: 0.05,
    });
    expect(gatesFor(bare, 'enterprise').maxP99LatencySeconds).toBe(0.025);
    expect(runtimeSplit(bare, 'standard').traffic.canary?.gate).toEqual({
      windowSeconds: 300,
      minRequests: 100,
      maxErrorRate: 0.005,
      maxP99LatencySeconds: 0.05,
    });
  });

  it('drift: baselines of the model inputs, per-feature thresholds, ignored features left out', async () => {
    const all = await renderedExamples();
    const fraud = config(
      all.find((r) => r.set.environment === 'dev' && r.set.system === 'card-fraud')!.set,
      'standard',
    );
    expect(fraud.drift).toMatchObject({
      windowSeconds: 3600,
      minSamples: 1000,
      alpha: 0.01,
      correction: 'benjamini-hochberg',
    });
    const thresholds = Object.fromEntries(fraud.drift.features.map((f) => [f.name, f.threshold]));
    expect(thresholds).toEqual({
      amount: 0.15,
      txn_count_1h: 0.2,
      avg_amount_24h: 0.2,
      card_age_days: 0.2,
      merchant_risk_score: 0.2,
      merchant_category: 0.2,
    });
    expect(fraud.drift.features.find((f) => f.name === 'merchant_category')).toMatchObject({
      kind: 'categorical',
      other: 43766,
    });
    const churn = config(all.find((r) => r.set.environment === 'dev' && r.set.system === 'churn-small')!.set, 'cpu');
    expect(churn.drift.features.map((f) => f.name)).not.toContain('plan_tier');
    expect(churn.drift.correction).toBe('bonferroni');
  });

  it('A/B tests: sticky key, weights, and an event stream without personal data', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'product-ranker',
    )!.set;
    const c = config(set, 'gpu');
    expect(c.traffic).toMatchObject({
      strategy: 'abTest',
      weights: { 'ranker-a': 50, 'ranker-b': 50 },
      stickyKey: { header: 'x-customer-id' },
    });
    expect(c.events).toEqual({
      path: '/var/lib/mlspec/events/assignments.jsonl',
      sampleRate: 1,
      redactFields: ['preferred_category', 'x-customer-id'],
    });
    const deployment = set.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'product-ranker-gpu',
    ) as Json;
    const mounts = deployment.spec.template.spec.containers[0].volumeMounts.map((m: Json) => m.mountPath);
    expect(mounts).toContain('/var/lib/mlspec/events');
  });

  it('a sticky key field that is personal data is redacted too', async () => {
    const ranker = example(await exampleSystems(), 'product-ranker', 'prod');
    const byField = without(ranker, (spec) => {
      spec.rollout.abTest.stickyKey = { field: 'position' };
      spec.model.requestFeatures.position.personalData = true;
    });
    expect(redactedFields(byField)).toEqual(['position', 'preferred_category']);
    expect(redactedFields(without(ranker, (spec) => (spec.rollout.abTest.stickyKey = { field: 'position' })))).toEqual([
      'preferred_category',
    ]);
  });

  it('shadow and blue-green keep the new model off live traffic', async () => {
    const variants = await variantSystems();
    const shadow = runtimeConfig(
      variants.find((s) => s.name === 'shadow-argo')!,
      'standard',
      runtimeSplit(variants.find((s) => s.name === 'shadow-argo')!, 'standard'),
    );
    expect(shadow.traffic).toMatchObject({
      strategy: 'shadow',
      weights: { stable: 100, shadow: 0 },
      shadow: { variant: 'shadow', percent: 20 },
    });
    const bg = variants.find((s) => s.name === 'bluegreen-runtime')!;
    expect(runtimeSplit(bg, 'standard').traffic).toMatchObject({
      strategy: 'blueGreen',
      weights: { active: 100, preview: 0 },
      overrideHeader: 'x-mlspec-variant',
    });
  });

  it('under Argo Rollouts each revision serves one release, with a file per release', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!.set;
    const files = [...configFiles(set).keys()].filter((k) => k.startsWith('standard/')).sort();
    expect(files).toEqual(['standard/release-68a9fa6ca048.yaml', 'standard/release-73ace25d8512.yaml']);
    const fresh = config(set, 'standard', 'release-68a9fa6ca048.yaml');
    expect(fresh.variants).toEqual([
      {
        name: 'v3-2-0',
        version: '3.2.0',
        role: 'stable',
        path: '/models/v3-2-0/model.onnx',
        sha256: '68a9fa6ca0485dcb92237a18dbf442334ca12a8e16e163cbcf3b24cd2523d4b2',
        uri: 's3://acme-models-eu/fraud-detector/3.2.0/model.onnx',
      },
    ]);
    expect(fresh.traffic).toEqual({
      strategy: 'single',
      weights: { 'v3-2-0': 100 },
      overrideHeader: 'x-mlspec-variant',
    });
    expect(config(set, 'standard', 'release-73ace25d8512.yaml').variants[0]!.version).toBe('3.1.0');
    const pod = (set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'card-fraud-standard') as Json)
      .spec.template.spec;
    expect(pod.containers[0].command).toEqual(['mlspec', 'serve', '--config', '/etc/mlspec/release-68a9fa6ca048.yaml']);
    expect(pod.initContainers.map((c: Json) => c.name)).toEqual(['fetch-v3-2-0', 'verify-models']);
  });

  it('init containers fetch every variant to its path, then verify the digests', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'staging' && r.set.system === 'card-fraud',
    )!.set;
    const pod = (set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'card-fraud-standard') as Json)
      .spec.template.spec;
    expect(pod.initContainers.map((c: Json) => c.command)).toEqual([
      ...['stable:3.1.0', 'canary:3.2.0'].map((v) => {
        const [variant, version] = v.split(':');
        return [
          'rclone',
          'copyto',
          '--retries=3',
          '--use-server-modtime',
          '--s3-env-auth',
          '--s3-provider=AWS',
          '--s3-region=eu-west-1',
          `:s3:acme-models-eu/fraud-detector/${version}/model.onnx`,
          `/models/${variant}/model.onnx`,
        ];
      }),
      ['mlspec', 'serve', '--config', '/etc/mlspec/runtime.yaml', '--verify-only'],
    ]);
    expect(pod.containers[0].command).toEqual(['mlspec', 'serve', '--config', '/etc/mlspec/runtime.yaml']);
  });
});
