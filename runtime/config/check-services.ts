// Checks of what connects the runtime to others: who may override the split, online features
// (each fetched value must fill a model feature), and where events go.
import type { RuntimeConfig } from '../contract/config.js';
import type { ConfigProblem } from './problem.js';

export function checkOverride(c: RuntimeConfig): ConfigProblem[] {
  const o = c.traffic.override;
  if (!o || o.secretFile !== undefined || o.allowSources !== undefined) return [];
  return [
    {
      code: 'override_unrestricted',
      message: 'overrides are enabled for anyone: `traffic.override` has neither `secretFile` nor `allowSources`',
      pointer: '/traffic/override',
      hint: 'restrict who may pick a variant: a shared secret (secretFile) and/or client address ranges (allowSources)',
    },
  ];
}

export function checkOnlineFeatures(c: RuntimeConfig): ConfigProblem[] {
  const online = c.onlineFeatures;
  if (!online) return [];
  const out: ConfigProblem[] = [];
  const features = new Set(c.model.inputs.flatMap((i) => i.features ?? []));
  const seen = new Set<string>();
  online.features.forEach((f, i) => {
    const pointer = `/onlineFeatures/features/${i}/name`;
    if (!features.has(f.name))
      out.push({
        code: 'unknown_feature',
        message: `fetched feature \`${f.name}\` is not a model input feature`,
        pointer,
        hint: `input features are: ${[...features].join(', ')}`,
      });
    if (seen.has(f.name))
      out.push({
        code: 'duplicate_feature',
        message: `feature \`${f.name}\` is fetched twice`,
        pointer,
        hint: 'keep one',
      });
    seen.add(f.name);
  });
  const keys = new Set<string>();
  online.entities.forEach((e, i) => {
    const pointer = `/onlineFeatures/entities/${i}/joinKey`;
    if (keys.has(e.joinKey))
      out.push({
        code: 'duplicate_entity',
        message: `join key \`${e.joinKey}\` is listed twice`,
        pointer,
        hint: 'keep one',
      });
    if (seen.has(e.joinKey))
      out.push({
        code: 'entity_is_fetched',
        message: `join key \`${e.joinKey}\` is also a fetched feature`,
        pointer,
        hint: 'the request carries join keys; the store returns features',
      });
    keys.add(e.joinKey);
  });
  return out;
}

export function checkEvents(c: RuntimeConfig): ConfigProblem[] {
  const e = c.events;
  if (!e || e.path !== undefined || e.stdout === true || e.sink !== undefined) return [];
  return [
    {
      code: 'events_without_sink',
      message: 'events are configured but go nowhere',
      pointer: '/events',
      hint: 'set `stdout: true` (the log pipeline), a CloudEvents `sink`, and/or a rotated file `path`',
    },
  ];
}
