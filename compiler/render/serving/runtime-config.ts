// The serving runtime's config for one tier (RuntimeConfig, the schema shared with the
// runtime): the model signature, the variants and how traffic reaches them, drift baselines
// with per-feature thresholds, batching, and for A/B tests the assignment event stream with
// personal data redacted. Pure data; serving-tier.ts puts it in a ConfigMap.
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { durationMs, durationSeconds } from '../../schema/duration.js';
import { API_VERSION } from '../../../core/schema/patterns.js';
import type { DriftFeature, RuntimeConfig } from '../../../runtime/contract/config.js';
import { RUNTIME_CONFIG_KIND } from '../../../runtime/contract/constants.js';
import type { TrafficPlan } from '../base/traffic-split.js';

export const RUNTIME_PORT = 8080;
export const EVENTS_DIR = '/var/lib/mlspec/events';
export const EVENTS_FILE = `${EVENTS_DIR}/assignments.jsonl`;

/** Server limits. Shutdown must finish within the pod's termination grace period. */
export const SERVER_LIMITS = { bodyLimitBytes: 1_048_576, requestTimeoutMs: 5_000, shutdownTimeoutMs: 20_000 } as const;

/**
 * Seconds a stopping serving pod keeps answering before it is told to stop (preStop sleep),
 * while endpoints and routes drop it. The runtime's own drain delay must equal it.
 */
export const SERVING_DRAIN_SECONDS = 10;

/** Drain, then the runtime's shutdown, then a margin for the sidecar: the kubelet kills after this. */
export const TERMINATION_GRACE_SECONDS = SERVING_DRAIN_SECONDS + SERVER_LIMITS.shutdownTimeoutMs / 1000 + 5;

/** Baselines of the model inputs, in signature order, minus ignored features. */
export function driftFeatures(system: ResolvedSystem): DriftFeature[] {
  const drift = system.spec.monitoring.drift;
  const baselines = system.spec.model.baseline.features;
  const out: DriftFeature[] = [];
  for (const f of system.features) {
    const baseline = baselines[f.name];
    const settings = drift.features?.[f.name];
    if (!baseline || settings?.ignore) continue;
    const threshold = settings?.threshold ?? drift.threshold;
    if (baseline.numeric)
      out.push({
        name: f.name,
        kind: 'numeric',
        edges: [...baseline.numeric.edges],
        counts: [...baseline.numeric.counts],
        threshold,
      });
    else if (baseline.categorical)
      out.push({
        name: f.name,
        kind: 'categorical',
        categories: { ...baseline.categorical.counts },
        other: baseline.categorical.other ?? 0,
        threshold,
      });
  }
  return out;
}

/** Request fields that are personal data: model inputs so marked, plus a personal sticky key field. */
export function redactedFields(system: ResolvedSystem): string[] {
  const fields = new Set(system.features.filter((f) => f.personalData).map((f) => f.name));
  const key = system.spec.rollout?.abTest?.stickyKey;
  const sticky = key?.field;
  if (sticky) {
    const input = system.features.find((f) => f.name === sticky);
    const request = system.spec.model.requestFeatures?.[sticky];
    if (input?.personalData || request?.personalData) fields.add(sticky);
  }
  // A header the test is sticky to names whoever it follows: in a system that processes personal
  // data, that is a person, so its value never reaches the events (the runtime matches it
  // case-insensitively).
  if (key?.header && system.spec.compliance.personalData.processed) fields.add(key.header.toLowerCase());
  return [...fields].sort();
}

export function runtimeConfig(system: ResolvedSystem, tier: string, plan: TrafficPlan): RuntimeConfig {
  const spec = system.spec;
  const drift = spec.monitoring.drift;
  const batching = spec.serving.tiers[tier]!.batching;
  return {
    apiVersion: API_VERSION,
    kind: RUNTIME_CONFIG_KIND,
    system: system.name,
    environment: system.environment,
    tier,
    server: { port: RUNTIME_PORT, ...SERVER_LIMITS },
    model: {
      name: spec.model.name,
      inputs: structuredClone(spec.model.signature.inputs),
      outputs: structuredClone(spec.model.signature.outputs),
    },
    variants: [...plan.variants],
    traffic: plan.traffic,
    ...(batching
      ? { batching: { maxBatchSize: batching.maxBatchSize, maxDelayMs: durationMs(batching.maxDelay) } }
      : {}),
    drift: {
      windowSeconds: durationSeconds(drift.window),
      minSamples: drift.minSamples,
      alpha: drift.alpha,
      correction: drift.correction,
      features: driftFeatures(system),
    },
    // A/B assignments and outcomes are what the test is decided on; other strategies need none.
    ...(plan.traffic.strategy === 'abTest'
      ? { events: { path: EVENTS_FILE, sampleRate: 1, redactFields: redactedFields(system) } }
      : {}),
  };
}
