// The example specs, resolved and rendered once per test file; and variants of them written to
// a temporary folder (an environment with another cluster or rollout) to reach the branches
// the examples do not.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { analyze } from '../../../compiler/pipeline/pipeline.js';
import type { ResolvedSystem } from '../../../compiler/resolve/resolved.js';
import { renderSystem } from '../../../compiler/render/system.js';
import type { ManifestSet } from '../../../compiler/render/base/manifest-set.js';
import type { RenderOptions } from '../../../compiler/render/base/context.js';
import { toYaml } from '../../../compiler/render/base/yaml.js';
import { tempDir } from '../../helpers/cli.js';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.js';

export const ROOT = join(import.meta.dirname, '../../..');

export interface Rendered {
  readonly system: ResolvedSystem;
  readonly set: ManifestSet;
}

async function resolveAll(dir: string, paths: string[]): Promise<ResolvedSystem[]> {
  return (await analyzeAll(dir, paths)).resolved;
}

async function analyzeAll(dir: string, paths: string[]): Promise<Analyzed> {
  const analysis = await analyze(paths, { cwd: dir });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new Error(
      `fixture specs do not ` +
        `resolve:\n${errors.map((d) => `${d.location?.file}:${d.location?.line} ${d.message}`).join('\n')}`,
    );
  return { resolved: [...analysis.resolved], diagnostics: [...analysis.diagnostics] };
}

export interface Analyzed {
  readonly resolved: ResolvedSystem[];
  readonly diagnostics: Diagnostic[];
}

let examples: Promise<ResolvedSystem[]> | undefined;

/** Every example system in every environment, resolved (cached). */
export function exampleSystems(): Promise<ResolvedSystem[]> {
  examples ??= resolveAll(ROOT, ['specs']);
  return examples;
}

export async function renderedExamples(options: RenderOptions = {}): Promise<Rendered[]> {
  return (await exampleSystems()).map((system) => ({ system, set: renderSystem(system, options) }));
}

export function example(systems: readonly ResolvedSystem[], name: string, environment: string): ResolvedSystem {
  const s = systems.find((x) => x.name === name && x.environment === environment);
  if (!s) throw new Error(`no example ${name}/${environment}`);
  return s;
}

/** The card-fraud spec as data, to derive variants from. */
export function cardFraudSpec(): Record<string, any> {
  return parse(readFileSync(join(ROOT, 'specs', 'card-fraud.yaml'), 'utf8'));
}

/** Resolve variant specs (data) next to the example platform config. */
export async function resolveVariants(
  specs: Record<string, unknown>,
  platform?: (p: Record<string, any>) => void,
): Promise<ResolvedSystem[]> {
  return (await analyzeVariants(specs, platform)).resolved;
}

/** Resolve variant specs, keeping the warnings. */
export async function analyzeVariants(
  specs: Record<string, unknown>,
  platform?: (p: Record<string, any>) => void,
): Promise<Analyzed> {
  const { dir, cleanup } = tempDir('mlspec-render-');
  try {
    mkdirSync(join(dir, 'specs'));
    const p = parse(readFileSync(join(ROOT, 'specs', 'platform.yaml'), 'utf8'));
    platform?.(p);
    writeFileSync(join(dir, 'specs', 'platform.yaml'), toYaml(p));
    for (const [name, spec] of Object.entries(specs)) writeFileSync(join(dir, 'specs', `${name}.yaml`), toYaml(spec));
    return await analyzeAll(dir, ['specs']);
  } finally {
    cleanup();
  }
}

/**
 * Variants covering what the examples leave out: every rollout strategy on a cluster with and
 * without Argo Rollouts, request-based autoscaling without KEDA, a cluster without
 * prometheus-operator or Istio.
 */
export async function variantSystems(): Promise<ResolvedSystem[]> {
  const base = cardFraudSpec();
  const stable = base.rollout.stable;
  const envs = (cluster: string, rollout: unknown) => ({
    a: { cluster, overrides: { rollout } },
  });
  const variant = (name: string, rollout: unknown, cluster: string, extra: Record<string, unknown> = {}) => ({
    ...structuredClone(base),
    metadata: { ...base.metadata, name },
    environments: envs(cluster, rollout),
    ...extra,
  });
  const canary = base.rollout;
  const blueGreen = {
    strategy: 'blueGreen',
    stable,
    blueGreen: { autoPromote: true, scaleDownDelay: '10m' },
    canary: null,
    analysis: null,
  };
  const shadow = { strategy: 'shadow', stable, shadow: { percent: 20 }, canary: null };
  const abTest = {
    strategy: 'abTest',
    stable: null,
    canary: null,
    abTest: {
      variants: {
        control: { weight: 70, version: stable.version, artifact: stable.artifact },
        treatment: { weight: 30 },
      },
      stickyKey: { field: 'card_age_days' },
      goal: { metric: 'chargeback_rate', direction: 'decrease', alpha: 0.05 },
    },
  };
  const specs = {
    'canary-runtime': variant('canary-runtime', canary, 'staging-eu'),
    'bluegreen-argo': variant('bluegreen-argo', blueGreen, 'prod-eu'),
    'bluegreen-runtime': variant('bluegreen-runtime', blueGreen, 'staging-eu'),
    'shadow-argo': variant('shadow-argo', shadow, 'prod-eu'),
    'ab-sticky-field': variant('ab-sticky-field', abTest, 'prod-eu'),
    // Request-based autoscaling on a cluster without KEDA, without monitoring or mesh.
    'bare-cluster': variant('bare-cluster', null, 'bare'),
  };
  return resolveVariants(specs, (p) => {
    p.clusters.bare = {
      ...structuredClone(p.clusters['dev-eu']),
      components: { argoWorkflows: false, argoRollouts: false, keda: false, prometheusOperator: false, istio: false },
    };
    p.teams['payments-risk'].gpuQuota = { l4: 1000 };
  });
}

/** `system` on its cluster with Istio switched off: every example cluster runs a mesh. */
export function withoutMesh(system: ResolvedSystem): ResolvedSystem {
  const copy = structuredClone(system) as any;
  copy.cluster.components.istio = false;
  return copy as ResolvedSystem;
}
