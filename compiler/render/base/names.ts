// Object names: human-readable, stable, and valid Kubernetes names. A name is built from the
// system name and a few words (`card-fraud-standard`); a content hash appears only where a
// new object is the point (a training run per dataset and image set). A name that would pass
// 63 characters keeps its readable start and ends with a hash of the whole, so it stays unique.
import { contentDigest } from '../../../core/canonical-json.js';
import { sha256Hex } from '../../../core/hash.js';

/** DNS-1123 label length limit; also the limit of Service names and label values. */
export const MAX_NAME_LENGTH = 63;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** First 8 hex digits of the canonical digest of `content`. */
export function hash8(content: unknown): string {
  return contentDigest(content).slice(0, 8);
}

/** Make any text a DNS label piece: lowercase, `[a-z0-9-]`, no leading/trailing `-`. */
export function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Join parts with `-`; shorten to 63 characters with a hash suffix when needed. */
export function objectName(...parts: readonly string[]): string {
  const full = parts.filter((p) => p.length > 0).join('-');
  if (!DNS_LABEL.test(full)) throw new Error(`internal: \`${full}\` is not a valid object name`);
  if (full.length <= MAX_NAME_LENGTH) return full;
  const suffix = sha256Hex(full).slice(0, 8);
  const head = full.slice(0, MAX_NAME_LENGTH - suffix.length - 1).replace(/-+$/, '');
  return `${head}-${suffix}`;
}

/** A name that changes whenever `content` changes: `<parts>-<hash8>`. */
export function contentName(parts: readonly string[], content: unknown): string {
  const suffix = hash8(content);
  const head = objectName(...parts);
  const room = MAX_NAME_LENGTH - suffix.length - 1;
  return `${head.length <= room ? head : head.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/** Names of one system's objects, in one place so every renderer agrees on them. */
export interface SystemNames {
  /** `<system>`: objects about the whole system (default-deny policy, alert rules). */
  readonly system: string;
  /** `<system>-<tier>`: the serving tier's workload, Service, autoscaler, budget, account. */
  tier(tier: string): string;
  /** `<system>-<tier>-<suffix>`: a tier's secondary objects (`-runtime`, `-preview`, `-gates`). */
  tierPart(tier: string, suffix: string): string;
  /** `<system>-<part...>`: any other named object of the system. */
  part(...parts: string[]): string;
  /** Prefix every training pod name starts with; the training-failure alert matches on it. */
  readonly trainingPrefix: string;
  /** `<system>-train-<hash8>`: a training run that changes with its datasets and images. */
  trainingRun(content: unknown): string;
}

export function systemNames(system: string): SystemNames {
  const trainingPrefix = objectName(system, 'train');
  return {
    system: objectName(system),
    tier: (tier) => objectName(system, tier),
    tierPart: (tier, suffix) => objectName(system, tier, suffix),
    part: (...parts) => objectName(system, ...parts),
    trainingPrefix,
    trainingRun: (content) => contentName([system, 'train'], content),
  };
}
