// How many CPUs this process may use: the container's CPU limit when one is set (cgroup v2
// `cpu.max`, cgroup v1 CFS quota), else the CPUs Node reports. A pod with `limits.cpu: 2` on a
// 32-core node must size its inference workers for 2.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export function cpuLimit(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number {
  const cpus = availableParallelism();
  const quota = cgroupQuota(read);
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

/** CPUs allowed by the cgroup quota, or undefined when there is none (or no cgroup files). */
function cgroupQuota(read: (path: string) => string): number | undefined {
  const attempt = (f: () => number | undefined) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return (
    attempt(() => {
      const [quota, period] = read('/sys/fs/cgroup/cpu.max').trim().split(/\s+/);
      return quota === 'max' ? undefined : Number(quota) / Number(period);
    }) ??
    attempt(() => {
      const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us').trim());
      const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us').trim());
      return quota > 0 && period > 0 ? quota / period : undefined;
    })
  );
}
