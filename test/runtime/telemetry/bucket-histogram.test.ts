// The request-path histogram counts into arrays and exports at scrape time. Prometheus must see
// exactly what prom-client's own histogram would expose for the same observations.
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BucketHistogram } from '../../../runtime/telemetry/bucket-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
// On a bound, below the first, above the last, and in between.
const OBSERVATIONS: [string, number][] = [
  ['a', 0.001],
  ['a', 0.0004],
  ['a', 0.05],
  ['b', 7],
  ['a', 0.1],
  ['b', 0.002],
  ['a', 3.5],
];

describe('BucketHistogram', () => {
  it('exposes the same text as prom-client for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const h = new BucketHistogram('x_seconds', 'Latency.', BUCKETS, ours);
    const p = new Histogram({
      name: 'x_seconds',
      help: 'Latency.',
      labelNames: ['model', 'variant'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    for (const [variant, v] of OBSERVATIONS) {
      h.series({ model: 'm', variant }).observe(v);
      p.observe({ model: 'm', variant }, v);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('x_seconds_bucket{le="0.001",model="m",variant="a"} 2');
    expect(text).toContain('x_seconds_bucket{le="+Inf",model="m",variant="a"} 5');
    expect(text).toContain('x_seconds_sum{model="m",variant="b"} 7.002');
  });

  it('keeps one series per label set and forgets them on reset', async () => {
    const registry = new Registry();
    const h = new BucketHistogram('y_rows', 'Rows.', [1, 2], registry);
    expect(h.series({ variant: 'a' })).toBe(h.series({ variant: 'a' }));
    h.series({ variant: 'a' }).observe(2);
    expect(await registry.metrics()).toContain('y_rows_count{variant="a"} 1');
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('y_rows_count');
  });
});
