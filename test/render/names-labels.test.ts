// Names, labels and lineage: readable, valid, stable names; the standard labels on every
// object; lineage annotations on every object, the git commit only when given; nothing of
// cdk8s's bookkeeping left in the output.
import { describe, expect, it } from 'vitest';
import { contentName, objectName, systemNames, MAX_NAME_LENGTH } from '../../compiler/render/base/names.js';
import { renderSystem } from '../../compiler/render/system.js';
import { compileInMemory } from '../helpers/compile.js';
import { cardFraudSpec, exampleSystems, renderedExamples, resolveVariants } from './helpers/examples.js';

const DNS = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

describe('names', () => {
  it('joins parts; a long name keeps its start, ends with a hash of the whole and stays unique', () => {
    expect(objectName('card-fraud', 'standard')).toBe('card-fraud-standard');
    const long = objectName('a'.repeat(30), 'b'.repeat(40), 'runtime');
    const other = objectName('a'.repeat(30), 'b'.repeat(40), 'runtimf');
    expect(long.length).toBe(MAX_NAME_LENGTH);
    expect(long).toMatch(DNS);
    expect(long.startsWith('a'.repeat(30))).toBe(true);
    expect(long).not.toBe(other);
    expect(objectName('a'.repeat(30), 'b'.repeat(40), 'runtime')).toBe(long);
    expect(() => objectName('Bad_Name')).toThrow(/not a valid object name/);
  });

  it('content names change with the content and only then', () => {
    const a = contentName(['card-fraud', 'train'], { datasets: { t: '2026-11-01' }, images: ['x@sha256:1'] });
    expect(a).toMatch(/^card-fraud-train-[0-9a-f]{8}$/);
    expect(contentName(['card-fraud', 'train'], { images: ['x@sha256:1'], datasets: { t: '2026-11-01' } })).toBe(a);
    expect(contentName(['card-fraud', 'train'], { datasets: { t: '2026-11-02' }, images: ['x@sha256:1'] })).not.toBe(a);
    expect(
      systemNames('card-fraud')
        .trainingRun({ x: 1 })
        .startsWith(`${systemNames('card-fraud').trainingPrefix}-`),
    ).toBe(true);
    expect(contentName(['x'.repeat(70)], 1).length).toBe(MAX_NAME_LENGTH);
  });

  it('every object name is a readable DNS label starting with its system name', async () => {
    for (const { set } of await renderedExamples()) {
      for (const o of set.objects) {
        expect(o.metadata.name, `${o.kind}`).toMatch(DNS);
        expect(o.metadata.name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
        expect(o.metadata.name.startsWith(set.system), `${o.kind}/${o.metadata.name}`).toBe(true);
      }
    }
  });

  it('a tier named like a generated object is reported, not rendered twice', async () => {
    const spec = cardFraudSpec();
    spec.metadata.name = 'collide';
    spec.serving.tiers['default-deny'] = spec.serving.tiers.standard;
    spec.environments = { dev: spec.environments.dev };
    const systems = await resolveVariants({ collide: spec });
    expect(() => renderSystem(systems[0]!)).not.toThrow();
    const result = await compileInMemory(systems);
    expect(result.result).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['object_collision', ''],
      ['object_collision', '/serving/tiers/default-deny'],
    ]);
    expect(result.diagnostics[1]!.message).toMatch(
      /NetworkPolicy `collide-default-deny`.* is also rendered by another part/,
    );
  });
});

const LINEAGE_KEYS = [
  'mlspec.io/spec-file',
  'mlspec.io/spec-digest',
  'mlspec.io/dataset-versions',
  'mlspec.io/model-version',
  'mlspec.io/model-digest',
  'mlspec.io/git-commit',
];

describe('labels and lineage', () => {
  it('every object carries the standard labels and the lineage annotations', async () => {
    for (const { system, set } of await renderedExamples()) {
      for (const o of set.objects) {
        const at = `${set.environment}/${set.system} ${o.kind}/${o.metadata.name}`;
        expect(o.metadata.namespace, at).toBe(system.namespace);
        expect(o.metadata.labels, at).toMatchObject({
          'app.kubernetes.io/instance': `${system.name}-${system.environment}`,
          'app.kubernetes.io/part-of': system.name,
          'app.kubernetes.io/managed-by': 'mlspec',
          'mlspec.io/system': system.name,
          'mlspec.io/team': system.team,
          'mlspec.io/environment': system.environment,
          ...(system.spec.metadata.labels ?? {}),
        });
        expect(o.metadata.labels?.['mlspec.io/component'], at).toBe(o.metadata.labels?.['app.kubernetes.io/component']);
        expect(o.metadata.labels?.['app.kubernetes.io/name'], at).toBeTruthy();
        const datasets = Object.keys(system.spec.training.datasets)
          .sort()
          .map((d) => `${d}@${system.spec.training.datasets[d]!.version}`)
          .join(',');
        // Each object names only what it is made from: a dataset bump touches training objects only.
        const component = o.metadata.labels?.['mlspec.io/component'];
        const expected: Record<string, string> = { 'mlspec.io/spec-file': system.source.file };
        if (component === 'training') expected['mlspec.io/dataset-versions'] = datasets;
        if (component === 'serving' || component === 'serving-preview') {
          expected['mlspec.io/model-version'] = system.spec.model.version;
          expected['mlspec.io/model-digest'] = `sha256:${system.spec.model.artifact.sha256}`;
        }
        const lineage = Object.fromEntries(
          Object.entries(o.metadata.annotations ?? {}).filter(([k]) => LINEAGE_KEYS.includes(k)),
        );
        expect(lineage, at).toEqual(expected);
        expect(JSON.stringify(o)).not.toContain('cdk8s.io/');
      }
    }
  });

  it('the spec digest and the git commit are the system lineage, not on every object', async () => {
    const [system] = await exampleSystems();
    const set = renderSystem(system!, { gitCommit: 'a1b2c3d' });
    expect(set.lineage).toMatchObject({
      'mlspec.io/git-commit': 'a1b2c3d',
      'mlspec.io/spec-digest': `sha256:${system!.source.specDigest}`,
    });
    for (const o of set.objects) {
      expect(o.metadata.annotations?.['mlspec.io/git-commit']).toBeUndefined();
      expect(o.metadata.annotations?.['mlspec.io/spec-digest']).toBeUndefined();
    }
  });

  it('objects are in the fixed order: kind order, then name; keys sorted, apiVersion/kind/metadata first', async () => {
    const { KIND_ORDER } = await import('../../compiler/render/base/manifest-set.js');
    for (const { set } of await renderedExamples()) {
      const ranks = set.objects.map(
        (o) =>
          [
            KIND_ORDER.indexOf(o.kind) < 0 ? KIND_ORDER.length : KIND_ORDER.indexOf(o.kind),
            o.kind,
            o.metadata.name,
          ] as const,
      );
      const sorted = [...ranks].sort(
        (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1),
      );
      expect(ranks).toEqual(sorted);
      for (const o of set.objects) {
        expect(Object.keys(o).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
        const rest = Object.keys(o).slice(3);
        expect(rest).toEqual([...rest].sort());
        expect(Object.keys(o.metadata)).toEqual([...Object.keys(o.metadata)].sort());
      }
    }
  });
});
