// OPA's conformance cases, the main test suite of the Rego engine. Every case is either in
// conformance/passing.txt (it must pass) or in conformance/skipped.tsv (with the reason).
// Regenerate both with `node dist/bench/rego-conformance.js --update` after a change.
import { describe, expect, it } from 'vitest';
import { loadCases, loadUpstreamYamlCases, runCaseSafely, type ConformanceCase } from './conformance/harness.js';
import { isCoreTopic, readPassing, readSkipped } from './conformance/lists.js';

const cases = loadCases();
const passing = readPassing();
const skipped = readSkipped();

const byTopic = new Map<string, ConformanceCase[]>();
for (const c of cases) byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), c]);

describe('OPA conformance cases', () => {
  it('lists every case exactly once, as passing or skipped with a reason', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(cases.length).toBe(2067);
    expect([...passing].filter((id) => !ids.has(id))).toEqual([]);
    expect([...skipped.keys()].filter((id) => !ids.has(id))).toEqual([]);
    expect([...passing].filter((id) => skipped.has(id))).toEqual([]);
    expect(cases.filter((c) => !passing.has(c.id) && !skipped.has(c.id)).map((c) => c.id)).toEqual([]);
    expect([...skipped].filter(([, reason]) => reason === '').map(([id]) => id)).toEqual([]);
  });

  it('meets the targets: 85 % of all cases, 95 % of the core-language topics', () => {
    const core = cases.filter((c) => isCoreTopic(c.topic));
    expect(passing.size / cases.length).toBeGreaterThanOrEqual(0.85);
    expect(core.filter((c) => passing.has(c.id)).length / core.length).toBeGreaterThanOrEqual(0.95);
  });

  for (const [topic, topicCases] of byTopic) {
    describe(topic, () => {
      for (const c of topicCases) {
        const reason = skipped.get(c.id);
        if (reason !== undefined) {
          it.skip(`${c.id} ${c.note} (${reason})`, () => {});
          continue;
        }
        it(`${c.id} ${c.note}`, () => {
          const outcome = runCaseSafely(c);
          expect(outcome.pass ? 'pass' : outcome.reason).toBe('pass');
        });
      }
    });
  }
});

// Cases newer than the JSON copy (bignum arithmetic, decimal ordering, enumeration of base and
// virtual documents), in upstream's YAML: all must pass.
describe('newer upstream conformance cases (upstream-yaml/v1)', () => {
  for (const c of loadUpstreamYamlCases()) {
    it(`${c.id} ${c.note}`, () => {
      const outcome = runCaseSafely(c);
      expect(outcome.pass ? 'pass' : outcome.reason).toBe('pass');
    });
  }
});
