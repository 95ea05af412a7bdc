// Platform tolerations (accelerator node pools, dedicated pools per workload kind) as the
// cdk8s-plus taint queries workloads tolerate.
import * as kplus from 'cdk8s-plus-28';
import type { Toleration } from '../../schema/platform.js';

export function taint(t: Toleration): kplus.NodeTaintQuery {
  const options = t.effect ? { effect: t.effect as kplus.TaintEffect } : {};
  return t.operator === 'Equal'
    ? kplus.NodeTaintQuery.is(t.key, t.value ?? '', options)
    : kplus.NodeTaintQuery.exists(t.key, options);
}
