// The published package, as a team installs it: `npm pack`, then an offline install of the
// tarball into an empty project, then the journey of a new repository with the installed CLI.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { installProject, pack, run } from './install.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

let work: { dir: string; cleanup: () => void };
let files: string[];
let project: string;
let mlspec: (args: string[], cwd?: string) => SpawnSyncReturns<string>;

beforeAll(() => {
  work = tempDir('mlspec-pack-');
  const packed = pack(work.dir);
  files = [...packed.files];
  project = join(work.dir, 'ml-systems');
  const install = installProject(project, packed);
  expect(install.status, install.stderr).toBe(0);
  const bin = join(project, 'node_modules/.bin/mlspec');
  mlspec = (args, cwd = project) => run(bin, args, cwd);
}, 300_000);

afterAll(() => work?.cleanup());

describe('the packed package', () => {
  it('holds the built CLI, runtime, schemas, policy pack and docs, and nothing else', () => {
    for (const f of [
      'dist/compiler/cli/main.js',
      'dist/runtime/main.js',
      'specs/schema/mlsystem.schema.json',
      'policies/mlspec/params.yaml',
      'policies/mlspec/secure_images_test.rego',
      'README.md',
      'package.json',
    ])
      expect(files, f).toContain(f);
    const stray = files.filter((f) =>
      /^(test|bench|out|\.ci|dist\/test|dist\/bench|specs\/[^/]+\.(yaml|jsonnet))\b/.test(f),
    );
    expect(stray).toEqual([]);
  });

  it('installs offline without onnxruntime-node or any native build', () => {
    expect(existsSync(join(project, 'node_modules/mlspec/dist/compiler/cli/main.js'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/onnxruntime-node'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/@hanazuki'))).toBe(false);
  });

  it('starts a repository that validates, compiles, passes check and its policy tests', () => {
    const repo = join(project, 'repo');
    mkdirSync(repo);
    const steps = [
      ['init', '--cloud', 'gke'],
      ['validate'],
      ['check', '--all-envs'],
      ['compile'],
      ['compile', '--check'],
      ['policy', 'test'],
    ];
    for (const args of steps) {
      const r = mlspec(args, repo);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 0, stderr: '' });
    }
    if (kubectl) {
      const k = spawnSync('kubectl', ['kustomize', join(repo, 'out/prod')], { encoding: 'utf8' });
      expect(k.status, k.stderr).toBe(0);
      expect(k.stdout).toContain('kind: Deployment');
    }
  });

  it('says what to install when serve runs without onnxruntime-node', () => {
    const r = mlspec(['serve', '--config', 'runtime.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('mlspec serve: onnxruntime-node is not installed');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports its version', () => {
    expect(mlspec(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
