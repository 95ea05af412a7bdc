// One object, one owner: a system whose generated names land on another system's objects is
// refused before anything is written, at the spec lines of both systems.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { positionOf, runCli, tempDir } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The examples, plus `card` (team payments-risk) with tiers `fraud-standard` and `fraud-enterprise`. */
function repoWithCard(): string {
  const t = tempDir('mlspec-ownership-');
  cleanup = t.cleanup;
  cpSync(join(ROOT, 'specs'), join(t.dir, 'specs'), { recursive: true });
  const spec = parse(readFileSync(join(ROOT, 'specs/card-fraud.yaml'), 'utf8'));
  spec.metadata.name = 'card';
  const { standard, enterprise } = spec.serving.tiers;
  spec.serving.tiers = { 'fraud-standard': standard, 'fraud-enterprise': enterprise };
  spec.environments = { prod: spec.environments.prod };
  spec.environments.prod.overrides = undefined;
  writeFileSync(join(t.dir, 'specs/card.yaml'), stringify(spec));
  // Room for the second system's GPU tier, so that only the ownership conflict remains.
  const platform = join(t.dir, 'specs/platform.yaml');
  writeFileSync(platform, readFileSync(platform, 'utf8').replace('gpuQuota: { l4: 12 }', 'gpuQuota: { l4: 48 }'));
  return t.dir;
}

describe('object ownership across systems', () => {
  it('refuses two systems rendering the same object, at both specs, and writes nothing', async () => {
    const dir = repoWithCard();
    const run = await runCli(['compile', 'specs', '--env', 'prod'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(readdirSync(dir)).not.toContain('out');
    const card = readFileSync(join(dir, 'specs/card.yaml'), 'utf8');
    const cardFraud = readFileSync(join(dir, 'specs/card-fraud.yaml'), 'utf8');
    const atCard = positionOf(card, 'fraud-standard:');
    const atCardFraud = positionOf(cardFraud, 'standard:', 'tiers:');
    const deployment = /Deployment `card-fraud-standard` in namespace `fraud-prod`/;
    const lines = run.stderr.split('\n').filter((l) => deployment.test(l));
    expect(lines).toEqual([
      expect.stringContaining(
        `specs/card-fraud.yaml:${atCardFraud.line}:${atCardFraud.column}: error[object_collision]`,
      ),
      expect.stringContaining(`specs/card.yaml:${atCard.line}:${atCard.column}: error[object_collision]`),
    ]);
    expect(lines[0]).toMatch(/also rendered by system `card`/);
    expect(lines[1]).toMatch(/also rendered by system `card-fraud`/);
    for (const kind of ['Service', 'ConfigMap', 'ServiceAccount', 'NetworkPolicy', 'PodDisruptionBudget']) {
      expect(run.stderr).toMatch(new RegExp(`${kind} \`card-fraud-(standard|enterprise)[-a-z]*\``));
    }
  });

  it('--check reports the same conflict instead of comparing', async () => {
    const dir = repoWithCard();
    const run = await runCli(['compile', 'specs', '--env', 'prod', '--check'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error\[object_collision\]/);
  });
});
