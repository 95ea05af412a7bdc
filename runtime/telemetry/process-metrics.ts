// Process metrics, read only when Prometheus scrapes. prom-client's collectDefaultMetrics keeps
// a PerformanceObserver on every garbage collection and a 100 Hz event-loop-delay timer running
// between scrapes, which raises tail latency at low concurrency (BENCHMARKS.md, runtime
// section). Here nothing runs between scrapes.
// Names and types match prom-client's defaults where the metric is the same, so dashboards
// built on those keep working; event-loop load is a busy-time counter (rate() it) instead of a
// sampled delay, and there are no GC durations.
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

export const PROCESS_METRIC_NAMES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'process_open_fds',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_eventloop_busy_seconds_total',
  'nodejs_version_info',
] as const;

export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  /** A counter whose value is read from a cumulative source at scrape time. */
  const cumulative = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });

  cumulative('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', () => process.cpuUsage().user / 1e6);
  cumulative(
    'process_cpu_system_seconds_total',
    'System CPU time spent, in seconds.',
    () => process.cpuUsage().system / 1e6,
  );
  cumulative('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.', () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  });
  gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', () => process.memoryUsage.rss());
  const started = Math.round(performance.timeOrigin / 1000);
  gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', () => started);
  // Only where /proc exists (Linux): elsewhere the metric is left out rather than reported as 0.
  if (openFds() !== undefined) gauge('process_open_fds', 'Open file descriptors.', () => openFds() ?? 0);
  gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', () => process.memoryUsage().heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed);
  gauge(
    'nodejs_external_memory_bytes',
    'Memory of C++ objects bound to JavaScript objects (tensors, buffers), in bytes.',
    () => process.memoryUsage().external,
  );
  cumulative(
    'nodejs_eventloop_busy_seconds_total',
    'Time the event loop spent running callbacks, not waiting for I/O, in seconds; ' +
      'its rate is the event-loop utilisation (0-1).',
    () => performance.eventLoopUtilization().active / 1000,
  );
  const [major, minor, patch] = process.versions.node.split('.');
  const version = new Gauge({
    name: 'nodejs_version_info',
    help: 'Node.js version (value 1).',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
  });
  version.set({ version: process.version, major: major!, minor: minor!, patch: patch! }, 1);
}

/** `/proc/self/fd` holds one entry per descriptor, plus the one `readdir` itself opens. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}
