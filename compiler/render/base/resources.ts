// Spec resources → container requests and limits. Requests and limits are always both set:
// memory and ephemeral storage limit = request (no overcommit), CPU limit = request unless the
// spec sets `cpuLimit`. Accelerators are not here: only placement (./placement.ts) adds them.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Resources } from '../../schema/common.js';
import type { Placement } from '../../resolve/resolved.js';
import { TMP_SIZE_MIB } from './pod-security.js';

export const DEFAULT_EPHEMERAL_STORAGE = '1Gi';

const BYTES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

function parse(quantity: string | number): { amount: number; suffix: string } {
  if (typeof quantity === 'number') return { amount: quantity, suffix: '' };
  const m = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(quantity);
  if (!m || BYTES[m[2]!] === undefined)
    throw new Error(`internal: \`${quantity}\` is not a quantity (the schema should have refused it)`);
  return { amount: Number(m[1]), suffix: m[2]! };
}

/** A quantity's value in base units (cores, bytes): `500m` → 0.5, `2Gi` → 2147483648. */
export function quantityValue(quantity: string | number): number {
  const { amount, suffix } = parse(quantity);
  return amount * BYTES[suffix]!;
}

/**
 * A byte quantity in whole mebibytes, rounded up: cdk8s-plus renders sizes as `<n>Mi` and
 * refuses fractions, and rounding a request or limit up never starves the container.
 */
export function mebibytes(quantity: string | number): number {
  const { amount, suffix } = parse(quantity);
  return Math.max(1, Math.ceil((amount * BYTES[suffix]!) / 2 ** 20 - 1e-9));
}

export function cpu(quantity: string | number): kplus.Cpu {
  const { amount, suffix } = parse(quantity);
  if (suffix === 'm') return kplus.Cpu.millis(amount);
  if (suffix !== '') throw new Error(`internal: CPU quantity \`${quantity}\` has a byte suffix`);
  return kplus.Cpu.units(amount);
}

/** CPU as text, the same way cdk8s-plus renders it. */
function cpuText(quantity: string | number): string {
  return cpu(quantity).amount;
}

interface Normalized {
  readonly cpuRequest: string | number;
  readonly cpuLimit: string | number;
  readonly memoryMib: number;
  readonly ephemeralMib: number;
}

function normalize(r: Resources): Normalized {
  return {
    cpuRequest: r.cpu,
    cpuLimit: r.cpuLimit ?? r.cpu,
    memoryMib: mebibytes(r.memory),
    ephemeralMib: mebibytes(r.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE),
  };
}

/** Requests and limits for a cdk8s-plus container. */
export function containerResources(r: Resources): kplus.ContainerResources {
  const n = normalize(r);
  return {
    cpu: { request: cpu(n.cpuRequest), limit: cpu(n.cpuLimit) },
    memory: { request: Size.mebibytes(n.memoryMib), limit: Size.mebibytes(n.memoryMib) },
    ephemeralStorage: { request: Size.mebibytes(n.ephemeralMib), limit: Size.mebibytes(n.ephemeralMib) },
  };
}

export interface ResourceRequirementsJson {
  readonly requests: Record<string, string>;
  readonly limits: Record<string, string>;
}

/**
 * The same requirements as plain JSON, for containers inside custom resources; with a
 * placement, the accelerator count is added to both requests and limits (extended resources
 * must have them equal).
 */
export function resourcesJson(r: Resources, placement?: Placement): ResourceRequirementsJson {
  const n = normalize(r);
  const accel = placement ? { [placement.resource]: String(placement.count) } : {};
  return {
    requests: {
      cpu: cpuText(n.cpuRequest),
      memory: `${n.memoryMib}Mi`,
      'ephemeral-storage': `${n.ephemeralMib}Mi`,
      ...accel,
    },
    limits: {
      cpu: cpuText(n.cpuLimit),
      memory: `${n.memoryMib}Mi`,
      'ephemeral-storage': `${n.ephemeralMib}Mi`,
      ...accel,
    },
  };
}

/**
 * Resources of a pod with a scratch volume of the declared `ephemeralStorage`: its ephemeral
 * storage request and limit also cover /tmp, since the kubelet counts both emptyDirs against the
 * pod, so the declared scratch space is usable in full. Whole gibibytes, rounded up: cdk8s-plus
 * renders a container's ephemeral storage only in `Gi`.
 */
export function scratchResources(r: Resources): Resources {
  const mib = mebibytes(r.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE) + TMP_SIZE_MIB;
  return { ...r, ephemeralStorage: `${Math.ceil(mib / 1024)}Gi` };
}
