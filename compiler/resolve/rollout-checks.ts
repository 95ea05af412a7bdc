// Rollout and serving consistency that the schema cannot express.
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import { durationSeconds } from '../schema/duration.js';
import type { ResolvedFeature } from './resolved.js';
import type { Reporter } from './report.js';

export function checkServingAndRollout(spec: MLSystemBody, inputs: readonly ResolvedFeature[], r: Reporter): void {
  for (const [name, tier] of Object.entries(spec.serving.tiers)) {
    const p = `/serving/tiers/${name}`;
    if (tier.replicas.min > tier.replicas.max)
      r.report(
        'invalid_range',
        `replicas.min (${tier.replicas.min}) is above replicas.max (${tier.replicas.max})`,
        `${p}/replicas`,
        'make min ≤ max',
      );
    if (tier.latencySlo.p50 && durationSeconds(tier.latencySlo.p50) > durationSeconds(tier.latencySlo.p99)) {
      r.report(
        'invalid_range',
        'p50 latency objective is above the p99 objective',
        `${p}/latencySlo/p50`,
        'the median cannot be slower than the 99th percentile',
      );
    }
    if (tier.resources.accelerator?.mig && tier.resources.accelerator.count !== 1) {
      r.report(
        'invalid_value',
        'a pod can request one MIG slice',
        `${p}/resources/accelerator/count`,
        'set count to 1 and scale with replicas',
      );
    }
  }
  for (const [metric, gate] of Object.entries(spec.training.validationGates)) {
    if (gate.min !== undefined && gate.max !== undefined && gate.min > gate.max) {
      r.report(
        'invalid_range',
        `validation gate ${quote(metric)} has min above max`,
        `/training/validationGates/${metric}`,
        'no model could pass; make min ≤ max',
      );
    }
  }
  const rollout = spec.rollout;
  if (!rollout) return;
  warnUnusedStrategySettings(rollout, r);
  const newVersion = spec.model.version;
  if (rollout.stable && rollout.strategy !== 'abTest') {
    if (rollout.stable.version === newVersion) {
      r.report(
        'invalid_rollout',
        `the stable release and the new model are both version ${newVersion}`,
        '/rollout/stable/version',
        'set `rollout.stable` to the release currently serving, or remove the rollout once it is done',
      );
    }
    if (rollout.stable.artifact.sha256 === spec.model.artifact.sha256) {
      r.report(
        'invalid_rollout',
        'the stable release and the new model are the same file',
        '/rollout/stable/artifact/sha256',
        'the new model must be a different artifact',
      );
    }
  }
  if (rollout.strategy === 'canary' && rollout.canary) {
    rollout.canary.steps.forEach((step, i) => {
      const prev = i > 0 ? rollout.canary!.steps[i - 1]!.weight : 0;
      if (step.weight < prev)
        r.report(
          'invalid_rollout',
          `canary step ${i + 1} lowers the weight from ${prev} to ${step.weight}`,
          `/rollout/canary/steps/${i}/weight`,
          'canary weights only grow; a rollback is automatic when a gate fails',
        );
    });
  }
  if (rollout.strategy === 'abTest' && rollout.abTest) {
    const variants = Object.entries(rollout.abTest.variants);
    const total = variants.reduce((sum, [, v]) => sum + v.weight, 0);
    if (total !== 100)
      r.report(
        'invalid_rollout',
        `A/B variant weights add up to ${total}, not 100`,
        '/rollout/abTest/variants',
        'adjust the weights so they sum to 100',
      );
    if (variants.length < 2)
      r.report(
        'invalid_rollout',
        'an A/B test needs at least two variants',
        '/rollout/abTest/variants',
        'add a second variant',
      );
    const releases = new Set(variants.map(([, v]) => v.artifact?.sha256 ?? spec.model.artifact.sha256));
    if (variants.length >= 2 && releases.size < variants.length) {
      r.report(
        'invalid_rollout',
        'two A/B variants serve the same model file',
        '/rollout/abTest/variants',
        'give each variant its own `version` and `artifact`, or merge them',
      );
    }
    const field = rollout.abTest.stickyKey.field;
    if (field !== undefined && !inputs.some((f) => f.name === field) && !spec.model.requestFeatures?.[field]) {
      r.report(
        'unknown_reference',
        `sticky key field ${quote(field)} is not a request field`,
        '/rollout/abTest/stickyKey/field',
        'use a model input or a `model.requestFeatures` entry, or a `header`',
      );
    }
  }
}

/** Settings of the other strategies have no effect: a block left behind after a switch misleads readers. */
const STRATEGY_BLOCKS = ['canary', 'blueGreen', 'shadow', 'abTest'] as const;

function warnUnusedStrategySettings(rollout: NonNullable<MLSystemBody['rollout']>, r: Reporter): void {
  for (const block of STRATEGY_BLOCKS) {
    if (block === rollout.strategy || rollout[block] === undefined) continue;
    r.warn(
      'ignored_setting',
      `\`rollout.${block}\` has no effect: the strategy is \`${rollout.strategy}\``,
      `/rollout/${block}`,
      `remove it, or set \`strategy: ${block}\` if that is what you meant`,
      true,
    );
  }
}
