import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DNS_LABEL } from '../../core/schema/patterns.js';
import { OUT_WORK_FILES } from '../emit/staging.js';
import { starterSpec } from '../init/starter.js';
import { displayPath } from '../load/files.js';
import { loadPaths, type LoadOptions } from '../load/load.js';
import { validateDocuments } from '../validate/validate.js';
import { didYouMean } from '../../core/schema/suggest.js';
import { EXIT, jsonnetSeconds, parseCommandArgs, UsageError, type CliIO, type Command } from './io.js';

const help = `Usage: mlspec init <name> [--team TEAM] [--cluster PROFILE] [--dir specs]

Write a commented starter spec <dir>/<name>.yaml that validates as written. Never overwrites.
When <dir> holds the platform config, the team and cluster profile must be registered there.

Options:
  --team TEAM        owning team, as registered in the platform config (default: my-team)
  --cluster PROFILE  cluster profile for dev, staging and prod (default: dev-eu)
  --dir DIR          where to write it (default: specs)
  -h, --help         show this help`;

const dnsLabel = new RegExp(DNS_LABEL);

/** Why the team or cluster would not validate against the platform config in `dir` (if there is one). */
async function unregistered(
  dir: string,
  cwd: string,
  load: LoadOptions,
  team: string,
  cluster: string,
): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const { platforms } = validateDocuments((await loadPaths([dir], cwd, load)).documents);
  const platform = platforms[0];
  if (!platform) return undefined;
  const where = `in the platform config ${platform.document.file}`;
  const { teams, clusters } = platform.platform;
  const hint = (v: string, known: string[], what: string) => didYouMean(v, known) ?? `${what}: ${known.join(', ')}`;
  if (!(team in teams))
    return (
      `team \`${team}\` is not registered ${where} (${hint(team, Object.keys(teams), 'registered teams')}); pass ` +
      `--team`
    );
  if (!(cluster in clusters))
    return (
      `cluster profile \`${cluster}\` is not defined ${where} ` +
      `(${hint(cluster, Object.keys(clusters), 'defined profiles')}); pass --cluster`
    );
  return undefined;
}

export const initCommand: Command = {
  name: 'init',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      team: { type: 'string' },
      cluster: { type: 'string' },
      dir: { type: 'string' },
    });
    const [name, ...extra] = positionals;
    if (!name || extra.length) throw new UsageError('give exactly one system name');
    const team = values.team ?? 'my-team';
    const cluster = values.cluster ?? 'dev-eu';
    for (const [what, v, max] of [
      ['name', name, 30],
      ['--team', team, 40],
      ['--cluster', cluster, 63],
    ] as const) {
      if (!dnsLabel.test(v) || v.length > max)
        throw new UsageError(
          `${what} "${v}" must be lowercase letters, digits and '-', start with a letter, at most ${max} characters`,
        );
    }
    const load = { jsonnetSeconds: jsonnetSeconds(io.env) };
    const dir = resolve(io.cwd, values.dir ?? 'specs');
    const target = join(dir, `${name}.yaml`);
    if (existsSync(target)) {
      io.stderr(`mlspec init: ${displayPath(io.cwd, target)} already exists; not overwriting it\n`);
      return EXIT.usage;
    }
    const unknown = await unregistered(dir, io.cwd, load, team, cluster);
    if (unknown) {
      io.stderr(`mlspec init: ${unknown}; nothing written\n`);
      return EXIT.usage;
    }
    mkdirSync(dir, { recursive: true });
    // Write beside the target, then rename: a reader never sees half a file.
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, starterSpec({ name, team, cluster }), { flag: 'wx' });
    renameSync(temp, target);
    const shown = displayPath(io.cwd, dir);
    io.stdout(
      `wrote ${displayPath(io.cwd, target)}\nnext: edit it, then run \`mlspec validate ${shown}\`\n` +
        `and add \`${OUT_WORK_FILES}\` to .gitignore: compile's lock and staging folders beside out/ are not ` +
        'for Git\n',
    );
    return EXIT.ok;
  },
};
