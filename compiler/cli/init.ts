import { replaceFile } from '../../core/files.js';
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DNS_LABEL } from '../../core/schema/patterns.js';
import { OUT_WORK_FILES } from '../emit/staging.js';
import { CLOUDS, type Cloud } from '../init/clouds.js';
import { scaffold } from '../init/repository.js';
import { starterSpec } from '../init/starter.js';
import { displayPath } from '../load/files.js';
import { loadPaths, type LoadOptions } from '../load/load.js';
import { validateDocuments } from '../validate/validate.js';
import { didYouMean } from '../../core/schema/suggest.js';
import { quote } from '../../core/diagnostics/quote.js';
import { EXIT, jsonnetSeconds, parseCommandArgs, UsageError, type CliIO, type Command } from './io.js';
import { packageRoot, version } from './version.js';

const help = `Usage: mlspec init [--cloud ${CLOUDS.join('|')}] [--team TEAM] [--name NAME]
       mlspec init <name> [--team TEAM] [--cluster PROFILE] [--dir specs]

Without <name>, in a folder without a platform config: start a repository (on a terminal, what
the options leave out is asked). Writes the platform
config (one cluster profile per environment for the cloud), a starter system that validates
and passes \`check\` as written, the JSON Schemas its modelines point at, the policy pack
(policies/mlspec, with parameters for this platform), GitHub workflows (the pull-request review;
out/ kept current on main) and a .gitignore. Nothing is written if any of them exists.

With <name>: add a commented starter spec <dir>/<name>.yaml. Never overwrites. When <dir>
holds the platform config, the team and cluster profile must be registered there.

Options:
  --cloud CLOUD      ${CLOUDS.join(', ')} (default: generic, or asked on a terminal)
  --name NAME        the starter system of a new repository (default: demo-classifier)
  --team TEAM        owning team, as registered in the platform config (default: my-team)
  --cluster PROFILE  cluster profile for dev, staging and prod (default: dev-eu)
  --dir DIR          where to write it (default: specs)
  -h, --help         show this help`;

const dnsLabel = new RegExp(DNS_LABEL);

interface Placement {
  readonly team: string;
  readonly clusters: { readonly dev: string; readonly staging: string; readonly prod: string };
  readonly registry: string;
  readonly bucket: string;
  readonly region: string;
}

/**
 * Where a new system goes, from the platform config in `dir` when there is one: its team (the
 * only one, unless given), a cluster profile per environment (`<x>-dev`, `<x>-staging`,
 * `<x>-prod` as `mlspec init --cloud` names them, unless one is given), its first registry and
 * the bucket of the dev profile's feature registry. Or why the team or cluster is not there.
 */
async function placement(
  dir: string,
  cwd: string,
  load: LoadOptions,
  team: string | undefined,
  cluster: string | undefined,
): Promise<Placement | string> {
  const platform = existsSync(dir)
    ? validateDocuments((await loadPaths([dir], cwd, load)).documents).platforms[0]
    : undefined;
  if (!platform) {
    const c = cluster ?? 'dev-eu';
    return {
      team: team ?? 'my-team',
      clusters: { dev: c, staging: c, prod: c },
      registry: 'registry.example.com',
      bucket: 's3://acme-replace-me',
      region: 'eu-west-1',
    };
  }
  const where = `in the platform config ${platform.document.file}`;
  const { teams, clusters, registries } = platform.platform;
  const names = Object.keys(teams);
  const chosen = team ?? (names.length === 1 ? names[0]! : 'my-team');
  const hint = (v: string, known: string[], what: string) => didYouMean(v, known) ?? `${what}: ${known.join(', ')}`;
  if (!(chosen in teams))
    return `team ${quote(chosen)} is not registered ${where} (${hint(chosen, names, 'registered teams')}); pass --team`;
  const profiles = Object.keys(clusters);
  const prefix = profiles.find((p) => p.endsWith('-dev'))?.slice(0, -'-dev'.length);
  const perEnv =
    cluster === undefined && prefix !== undefined && ['staging', 'prod'].every((e) => `${prefix}-${e}` in clusters)
      ? { dev: `${prefix}-dev`, staging: `${prefix}-staging`, prod: `${prefix}-prod` }
      : { dev: cluster ?? 'dev-eu', staging: cluster ?? 'dev-eu', prod: cluster ?? 'dev-eu' };
  if (!(perEnv.dev in clusters))
    return (
      `cluster profile ${quote(perEnv.dev)} is not defined ${where} ` +
      `(${hint(perEnv.dev, profiles, 'defined profiles')}); pass --cluster`
    );
  const dev = clusters[perEnv.dev]!;
  const bucket = /^[a-z0-9+.-]+:\/\/[^/]+/.exec(dev.featureStore?.registry ?? '')?.[0] ?? 's3://acme-replace-me';
  return {
    team: chosen,
    clusters: perEnv,
    registry: registries[0] ?? 'registry.example.com',
    bucket,
    region: dev.region,
  };
}

type RepositoryValues = { team?: string; name?: string; cloud?: string };

/**
 * On a terminal, what the flags leave out is asked, with the default in brackets (Enter takes
 * it); an answer that is not valid is asked again, at most three times.
 */
async function askMissing(values: RepositoryValues, io: CliIO): Promise<RepositoryValues> {
  const ask = io.ask;
  if (!ask) return values;
  const question = async (label: string, fallback: string, valid: (v: string) => string | undefined) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await ask(`${label} [${fallback}]: `);
      if (answer === undefined) throw new UsageError(`no answer for ${label.toLowerCase()}; nothing written`);
      const value = answer.trim() || fallback;
      const problem = valid(value);
      if (!problem) return value;
      io.stderr(`${problem}\n`);
    }
    throw new UsageError(`no valid ${label.toLowerCase()} after three answers; nothing written`);
  };
  const cloud =
    values.cloud ??
    (await question(`Cloud (${CLOUDS.join(', ')})`, 'generic', (v) =>
      CLOUDS.includes(v as Cloud) ? undefined : `choose one of ${CLOUDS.join(', ')}`,
    ));
  const team = values.team ?? (await question('Owning team', 'my-team', (v) => nameProblem('the team', v, 40)));
  const name =
    values.name ?? (await question('Starter system', 'demo-classifier', (v) => nameProblem('the system', v, 30)));
  return { cloud, team, name };
}

/** `mlspec init --cloud`: a new repository in the working folder, all files or none. */
async function initRepository(given: RepositoryValues, io: CliIO): Promise<number> {
  const values = await askMissing(given, io);
  const cloud = (values.cloud ?? 'generic') as Cloud;
  if (!CLOUDS.includes(cloud))
    throw new UsageError(`--cloud must be one of ${CLOUDS.join(', ')}, not "${values.cloud}"`);
  const team = values.team ?? 'my-team';
  const system = values.name ?? 'demo-classifier';
  checkName('--team', team, 40);
  checkName('--name', system, 30);
  const files = scaffold({ cloud, team, system, packageRoot: packageRoot(), version: version() });
  const present = files.map((f) => f.path).filter((p) => exists(join(io.cwd, p)));
  if (present.length > 0) {
    io.stderr(
      `mlspec init: ${present.slice(0, 5).join(', ')}${present.length > 5 ? ` and ${present.length - 5} more` : ''} ` +
        'already exist; nothing written. Start a repository in an empty folder, or add a system with ' +
        '`mlspec init <name>`\n',
    );
    return EXIT.usage;
  }
  for (const f of files) {
    const target = join(io.cwd, f.path);
    mkdirSync(dirname(target), { recursive: true });
    replaceFile(target, f.text);
  }
  io.stdout(
    `wrote ${files.length} files for ${cloud}: specs/platform.yaml, specs/${system}.yaml, policies/mlspec/, ` +
      '.github/workflows/\nnext: replace the values marked in specs/platform.yaml, then run `mlspec check` and ' +
      '`mlspec compile`\n',
  );
  return EXIT.ok;
}

/** True when anything (a file, folder or link) is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function nameProblem(what: string, v: string, max: number): string | undefined {
  if (!dnsLabel.test(v) || v.length > max)
    return `${what} "${v}" must be lowercase letters, digits and '-', start with a letter, at most ${max} characters`;
  return undefined;
}

function checkName(what: string, v: string, max: number): void {
  const problem = nameProblem(what, v, max);
  if (problem) throw new UsageError(problem);
}

export const initCommand: Command = {
  name: 'init',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      team: { type: 'string' },
      cluster: { type: 'string' },
      dir: { type: 'string' },
      cloud: { type: 'string' },
      name: { type: 'string' },
    });
    const [name, ...extra] = positionals;
    if (extra.length) throw new UsageError('give at most one system name');
    if (!name) return initRepository(values, io);
    if (values.cloud !== undefined || values.name !== undefined)
      throw new UsageError('--cloud and --name start a repository: give them without <name>');
    checkName('name', name, 30);
    if (values.team !== undefined) checkName('--team', values.team, 40);
    if (values.cluster !== undefined) checkName('--cluster', values.cluster, 63);
    const load = { jsonnetSeconds: jsonnetSeconds(io.env) };
    const dir = resolve(io.cwd, values.dir ?? 'specs');
    const target = join(dir, `${name}.yaml`);
    if (existsSync(target)) {
      io.stderr(`mlspec init: ${displayPath(io.cwd, target)} already exists; not overwriting it\n`);
      return EXIT.usage;
    }
    const place = await placement(dir, io.cwd, load, values.team, values.cluster);
    if (typeof place === 'string') {
      io.stderr(`mlspec init: ${place}; nothing written\n`);
      return EXIT.usage;
    }
    mkdirSync(dir, { recursive: true });
    replaceFile(target, starterSpec({ name, ...place }));
    const shown = displayPath(io.cwd, dir);
    const ignored = (() => {
      try {
        return readFileSync(join(io.cwd, '.gitignore'), 'utf8').split('\n').includes(OUT_WORK_FILES);
      } catch {
        return false;
      }
    })();
    io.stdout(
      `wrote ${displayPath(io.cwd, target)}\nnext: edit it, then run \`mlspec validate ${shown}\`\n` +
        (ignored
          ? ''
          : `and add \`${OUT_WORK_FILES}\` to .gitignore: compile's lock and staging folders beside out/ are ` +
            'not for Git\n'),
    );
    return EXIT.ok;
  },
};
