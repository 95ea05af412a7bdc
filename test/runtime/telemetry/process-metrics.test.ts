// Process metrics are read at scrape time: each scrape reports the process as it is then.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PROCESS_METRIC_NAMES, registerProcessMetrics } from '../../../runtime/telemetry/process-metrics.js';
import { RuntimeMetrics } from '../../../runtime/telemetry/metrics.js';

interface Sample {
  readonly type: string;
  readonly value: number;
  readonly labels: string;
}

async function scrape(registry: Registry): Promise<Map<string, Sample>> {
  const text = await registry.metrics();
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const out = new Map<string, Sample>();
  for (const m of text.matchAll(/^([a-z_]+)(\{[^}]*\})? (\S+)$/gm))
    out.set(m[1]!, { type: types.get(m[1]!) ?? '', value: Number(m[3]), labels: m[2] ?? '' });
  return out;
}

/** Spins until this process has used `ms` of CPU: wall time alone falls short on a loaded machine. */
function busy(ms: number): void {
  const start = process.cpuUsage();
  const used = () => {
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1000;
  };
  while (used() < ms);
}

describe('process metrics', () => {
  it('exports every documented metric with Prometheus types and plausible values', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    const m = await scrape(registry);
    expect([...m.keys()].sort()).toEqual([...PROCESS_METRIC_NAMES].sort());
    for (const name of PROCESS_METRIC_NAMES)
      expect(m.get(name)!.type, name).toBe(name.endsWith('_total') ? 'counter' : 'gauge');
    expect(m.get('process_resident_memory_bytes')!.value).toBeGreaterThan(10 * 2 ** 20);
    expect(m.get('nodejs_heap_size_used_bytes')!.value).toBeLessThanOrEqual(
      m.get('nodejs_heap_size_total_bytes')!.value,
    );
    expect(m.get('process_open_fds')!.value).toBeGreaterThan(2);
    const started = m.get('process_start_time_seconds')!.value;
    expect(Math.abs(started - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
    expect(m.get('nodejs_version_info')!.labels).toContain(`version="${process.version}"`);
    const cpu = m.get('process_cpu_seconds_total')!.value;
    expect(cpu).toBeCloseTo(
      m.get('process_cpu_user_seconds_total')!.value + m.get('process_cpu_system_seconds_total')!.value,
      2,
    );
  });

  it('reads the current values on each scrape: CPU and event-loop busy time grow with work', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    const before = await scrape(registry);
    busy(120);
    await new Promise((resolve) => setImmediate(resolve)); // event-loop time is counted per turn
    const after = await scrape(registry);
    const grew = (name: string) => after.get(name)!.value - before.get(name)!.value;
    expect(grew('process_cpu_seconds_total')).toBeGreaterThan(0.08);
    expect(grew('nodejs_eventloop_busy_seconds_total')).toBeGreaterThan(0.1);
  });

  it('is on by default and can be left out', async () => {
    const on = await new RuntimeMetrics('m').registry.metrics();
    const off = await new RuntimeMetrics('m', false).registry.metrics();
    expect(on).toContain('process_resident_memory_bytes');
    expect(off).not.toMatch(/^(process|nodejs)_/m);
    expect(off).toContain('mlspec_requests_total');
  });
});
