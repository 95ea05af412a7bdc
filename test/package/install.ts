// Packs this repository and installs the tarball into a new project, offline: what a team does
// with the published package. npm's offline mode cannot resolve version ranges without the
// registry's metadata, which this machine's cache does not hold; the project gets the lockfile
// its first online install would write (mlspec's production dependencies, as pinned in this
// repository's package-lock.json), and `npm ci --offline` installs from the cached tarballs.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository: two folders up from test/package/, three from dist/test/package/ (the bench). */
export const ROOT = [join(import.meta.dirname, '../..'), join(import.meta.dirname, '../../..')].find((d) =>
  existsSync(join(d, 'package-lock.json')),
)!;

// npm sets npm_config_* for the scripts it runs (`npm test`): a child npm must not inherit them.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

export function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...cleanEnv, ...env },
    timeout: 240_000,
    maxBuffer: 1 << 26,
  });
}

function must(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  return r;
}

export interface Packed {
  readonly tarball: string;
  readonly integrity: string;
  readonly files: readonly string[];
}

/** `npm pack` of this repository (built already) into `dir`. */
export function pack(dir: string): Packed {
  const r = must(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT), 'npm pack');
  const [info] = JSON.parse(r.stdout) as { filename: string; integrity: string; files: { path: string }[] }[];
  return { tarball: join(dir, info!.filename), integrity: info!.integrity, files: info!.files.map((f) => f.path) };
}

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly dependencies?: Record<string, string>;
}

/** Lockfile paths of `names` and everything they depend on, resolved as Node does (nearest node_modules). */
function closure(packages: Record<string, LockEntry>, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (from: string, name: string) => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[path]) {
        if (found.has(path)) return;
        found.add(path);
        for (const dep of Object.keys(packages[path]!.dependencies ?? {})) visit(path, dep);
        return;
      }
      if (!base) return;
    }
  };
  for (const name of names) visit('', name);
  return found;
}

/** A project in `dir` depending on the tarball (and on `extra` packages of this repository's lockfile). */
export function installProject(
  dir: string,
  packed: Packed,
  extra: readonly string[] = [],
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  mkdirSync(dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry & { version: string }>;
  };
  const spec = `file:${packed.tarball}`;
  const extraVersions = Object.fromEntries(extra.map((name) => [name, lock.packages[`node_modules/${name}`]!.version]));
  const dependencies = { mlspec: spec, ...extraVersions };
  const packages: Record<string, unknown> = {
    '': { name: 'ml-systems', dependencies },
    'node_modules/mlspec': {
      version: pkg.version,
      resolved: spec,
      integrity: packed.integrity,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin,
      engines: pkg.engines,
      license: pkg.license,
    },
  };
  const wanted = closure(lock.packages, extra);
  for (const [path, entry] of Object.entries(lock.packages))
    if (path && ((!entry.dev && !entry.devOptional) || wanted.has(path))) packages[path] = { ...entry, dev: undefined };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'ml-systems', private: true, dependencies }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'ml-systems', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  return run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir, env);
}
