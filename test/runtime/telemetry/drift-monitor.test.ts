// The drift monitor: binning conventions, windows, the per-feature verdict and the dataset flag.
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DriftConfig, RuntimeConfig } from '../../../runtime/contract/config.js';
import { signatureOf } from '../../../runtime/protocol/signature.js';
import { binsOf } from '../../../runtime/telemetry/drift/bins.js';
import { DriftMonitor } from '../../../runtime/telemetry/drift/monitor.js';
import { psi } from '../../../runtime/telemetry/drift/psi.js';
import { multinomial, seeded } from '../helpers/random.js';

describe('bins', () => {
  it('numeric bins are closed on the left, like numpy.digitize', () => {
    const b = binsOf({ name: 'f', kind: 'numeric', edges: [0, 10, 20], counts: [1, 1, 1, 1], threshold: 0.2 });
    expect([-5, 0, 9.99, 10, 19, 20, 1e9].map((v) => b.binOf(v))).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(b.binOf(NaN)).toBe(-1);
    expect(b.binOf(15n)).toBe(2);
  });

  it('categorical bins follow sorted category names, then "other"', () => {
    const b = binsOf({ name: 'c', kind: 'categorical', categories: { fr: 3, de: 5, us: 9 }, other: 2, threshold: 0.2 });
    expect(Array.from(b.baseline)).toEqual([5, 3, 9, 2]);
    expect(['de', 'fr', 'us', 'jp', ''].map((v) => b.binOf(v))).toEqual([0, 1, 2, 3, 3]);
  });

  it('categories of an FP32 column match the float32 values the column holds, not their text', () => {
    const feature = {
      name: 'rate',
      kind: 'categorical' as const,
      categories: { '0.1': 5, '0.25': 3, '2': 1 },
      other: 1,
      threshold: 0.2,
    };
    const b = binsOf(feature, 'FP32');
    const column = Float32Array.from([0.1, 0.25, 2, 0.3]); // what a request's tensor holds
    expect(Array.from(column, (v) => b.binOf(v))).toEqual([0, 1, 2, 3]);
    expect(String(column[0])).toBe('0.10000000149011612'); // the text would never have matched
    expect(b.binOf(Number.NaN)).toBe(-1);
    const ints = binsOf({ ...feature, categories: { '3': 1, '10': 1 } }, 'INT64');
    expect([3n, 10n, 4n].map((v) => ints.binOf(v))).toEqual([1, 0, 2]);
  });
});

const CATEGORIES = { de: 400, fr: 300, us: 300 };

function config(drift: Partial<DriftConfig> = {}): RuntimeConfig {
  return {
    model: {
      name: 'm',
      inputs: [
        { name: 'x', dtype: 'FP32', shape: [-1, 2], features: ['a', 'b'] },
        { name: 'country', dtype: 'BYTES', shape: [-1, 1], features: ['country'] },
      ],
      outputs: [{ name: 'y', dtype: 'FP32', shape: [-1, 1] }],
    },
    drift: {
      windowSeconds: 60,
      minSamples: 200,
      alpha: 0.01,
      correction: 'bonferroni',
      features: [
        { name: 'a', kind: 'numeric', edges: [1, 2, 3, 4], counts: [200, 200, 200, 200, 200], threshold: 0.1 },
        { name: 'b', kind: 'numeric', edges: [1, 2, 3, 4], counts: [200, 200, 200, 200, 200], threshold: 0.1 },
        { name: 'country', kind: 'categorical', categories: CATEGORIES, other: 0, threshold: 0.1 },
      ],
      ...drift,
    },
  } as unknown as RuntimeConfig;
}

/** `rows` requests of one row: a and b drawn over bins 0..4 with the given probabilities. */
function feed(monitor: DriftMonitor, rows: number, aProbs: number[], countryProbs: number[], seed: number) {
  const random = seeded(seed);
  const countries = ['de', 'fr', 'us', 'jp'];
  for (let i = 0; i < rows; i++) {
    const pick = (probs: number[]) => multinomial(random, 1, probs).indexOf(1);
    const a = pick(aProbs) + 0.5;
    const b = pick([0.2, 0.2, 0.2, 0.2, 0.2]) + 0.5;
    monitor.observe(
      {
        x: new Tensor('float32', Float32Array.from([a, b]), [1, 2]),
        country: new Tensor('string', [countries[pick(countryProbs)]!], [1, 1]),
      },
      1,
    );
  }
}

describe('DriftMonitor', () => {
  it('flags no drift on traffic drawn from the baseline', () => {
    const m = new DriftMonitor(config().drift, signatureOf(config()), 0);
    feed(m, 1000, [0.2, 0.2, 0.2, 0.2, 0.2], [0.4, 0.3, 0.3, 0], 1);
    const r = m.closeWindow(60_000);
    expect(r.samples).toBe(1000);
    expect(r.features.map((f) => f.name)).toEqual(['a', 'b', 'country']);
    expect(r.features.map((f) => f.test)).toEqual(['ks', 'ks', 'chi2']);
    expect(r.features.every((f) => !f.drifted)).toBe(true);
    expect(r.datasetDrift).toBe(false);
  });

  it('flags the shifted numeric feature and unseen categories, and the dataset', () => {
    const m = new DriftMonitor(config().drift, signatureOf(config()), 0);
    feed(m, 1000, [0.05, 0.05, 0.2, 0.3, 0.4], [0.2, 0.2, 0.2, 0.4], 2);
    const r = m.closeWindow(60_000);
    const byName = Object.fromEntries(r.features.map((f) => [f.name, f]));
    expect(byName.a!.drifted).toBe(true);
    expect(byName.b!.drifted).toBe(false);
    expect(byName.country!.drifted).toBe(true); // 40 % "jp", a category the baseline never saw
    expect(r.datasetDrift).toBe(true);
    // Bonferroni over the three evaluated features.
    r.features.forEach((f) => expect(f.adjustedPValue).toBeCloseTo(Math.min(1, f.pValue * 3), 12));
  });

  it('requires both a large PSI and a significant test', () => {
    // A tiny but certain shift: significant over 200 000 rows, yet far below the PSI threshold.
    const m = new DriftMonitor(
      config({
        features: [
          {
            name: 'a',
            kind: 'numeric',
            edges: [1, 2, 3, 4],
            counts: [200_000, 200_000, 200_000, 200_000, 200_000],
            threshold: 0.1,
          },
        ],
      }).drift,
      signatureOf(config()),
      0,
    );
    const x = new Tensor(
      'float32',
      Float32Array.from({ length: 200_000 * 2 }, (_, i) =>
        i % 2 === 0 ? (Math.floor(i / 2) % 100 < 22 ? 0.5 : 1.5 + (Math.floor(i / 2) % 4)) : 0,
      ),
      [200_000, 2],
    );
    m.observe({ x, country: new Tensor('string', Array(200_000).fill('de'), [200_000, 1]) }, 200_000);
    const [a] = m.closeWindow(60_000).features;
    expect(a!.adjustedPValue).toBeLessThan(1e-6);
    expect(a!.psi).toBeLessThan(0.1);
    expect(a!.drifted).toBe(false);
  });

  it('gives no verdict for features below minSamples, and the window is tumbling', () => {
    const m = new DriftMonitor(config().drift, signatureOf(config()), 0);
    feed(m, 150, [0.05, 0.05, 0.2, 0.3, 0.4], [0.2, 0.2, 0.2, 0.4], 3);
    expect(m.roll(59_999)).toBeUndefined();
    const r = m.roll(60_000)!;
    expect(r.samples).toBe(150);
    expect(r.features).toEqual([]);
    expect(r.datasetDrift).toBe(false);
    // The counts were cleared: the next window starts empty.
    expect(m.closeWindow(120_000).samples).toBe(0);
  });

  it('keeps memory bounded by features × bins whatever the traffic', () => {
    const m = new DriftMonitor(config().drift, signatureOf(config()), 0);
    const countries = Array.from({ length: 5000 }, (_, i) => `country-${i}`);
    m.observe(
      {
        x: new Tensor('float32', new Float32Array(10_000), [5000, 2]),
        country: new Tensor('string', countries, [5000, 1]),
      },
      5000,
    );
    // 5000 distinct unseen values all land in the single "other" bin: nothing grew.
    expect(m.cells).toBe(5 + 5 + 4);
    const r = m.closeWindow(1);
    expect(r.samples).toBe(5000);
    expect(m.cells).toBe(14);
  });

  it('counts every value into the bin binOf gives, for float, double and int64 inputs, many rows a request', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(
          fc.oneof(
            fc.integer({ min: -60, max: 60 }),
            fc.constant(NaN),
            fc.constant(Infinity),
            fc.constant(-Infinity),
            fc.double({ min: -60, max: 60, noNaN: true }),
          ),
          { minLength: 3, maxLength: 60 },
        ),
        (edgeSets, values) => {
          const edges = edgeSets.map((e) => [...e].sort((a, b) => a - b));
          const names = edges.map((_, i) => `f${i}`);
          const inputs = [
            { name: 'x32', dtype: 'FP32', features: names },
            { name: 'x64', dtype: 'FP64', features: names.map((n) => `${n}d`) },
            { name: 'xi', dtype: 'INT64', features: names.map((n) => `${n}i`) },
          ];
          const features = inputs.flatMap((input) =>
            input.features.map((name, i) => ({
              name,
              kind: 'numeric' as const,
              edges: edges[i]!,
              counts: Array(edges[i]!.length + 1).fill(10),
              threshold: 0.1,
            })),
          );
          const cfg = {
            model: {
              name: 'm',
              inputs: inputs.map((x) => ({ ...x, shape: [-1, names.length] })),
              outputs: [{ name: 'y', dtype: 'FP32', shape: [-1, 1] }],
            },
            drift: { windowSeconds: 60, minSamples: 1, alpha: 0.01, correction: 'bonferroni', features },
          } as unknown as RuntimeConfig;
          const monitor = new DriftMonitor(cfg.drift, signatureOf(cfg), 0);
          const width = names.length;
          const rows = Math.floor(values.length / width);
          if (rows === 0) return;
          const cells = values.slice(0, rows * width);
          const ints = cells.map((v) => (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n));
          monitor.observe(
            {
              x32: new Tensor('float32', Float32Array.from(cells), [rows, width]),
              x64: new Tensor('float64', Float64Array.from(cells), [rows, width]),
              xi: new Tensor('int64', BigInt64Array.from(ints), [rows, width]),
            },
            rows,
          );
          const report = monitor.closeWindow(1);
          for (const [k, input] of inputs.entries()) {
            const column = (c: number) =>
              Array.from({ length: rows }, (_, r) =>
                k === 0 ? Math.fround(cells[r * width + c]!) : k === 1 ? cells[r * width + c]! : ints[r * width + c]!,
              );
            input.features.forEach((name, c) => {
              const bins = binsOf(features.find((f) => f.name === name)!);
              const expected = new Float64Array(bins.size);
              for (const v of column(c)) if (bins.binOf(v) >= 0) expected[bins.binOf(v)]!++;
              const total = expected.reduce((a, b) => a + b, 0);
              const got = report.features.find((f) => f.name === name);
              if (total === 0) expect(got).toBeUndefined();
              else expect(got?.psi, name).toBeCloseTo(psi(bins.baseline, expected), 12);
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
