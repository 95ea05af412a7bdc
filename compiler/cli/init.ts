import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DNS_LABEL } from '../spec/patterns.js';
import { starterSpec } from '../init/starter.js';
import { displayPath } from '../load/files.js';
import { EXIT, parseCommandArgs, UsageError, type CliIO, type Command } from './io.js';

const help = `Usage: mlspec init <name> [--team TEAM] [--cluster PROFILE] [--dir specs]

Write a commented starter spec <dir>/<name>.yaml that validates as written. Never overwrites.

Options:
  --team TEAM        owning team, as registered in the platform config (default: my-team)
  --cluster PROFILE  cluster profile for dev, staging and prod (default: dev-eu)
  --dir DIR          where to write it (default: specs)
  -h, --help         show this help`;

const dnsLabel = new RegExp(DNS_LABEL);

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
    for (const [what, v, max] of [['name', name, 30], ['--team', team, 40], ['--cluster', cluster, 63]] as const) {
      if (!dnsLabel.test(v) || v.length > max) throw new UsageError(`${what} "${v}" must be lowercase letters, digits and '-', start with a letter, at most ${max} characters`);
    }
    const dir = resolve(io.cwd, values.dir ?? 'specs');
    const target = join(dir, `${name}.yaml`);
    if (existsSync(target)) {
      io.stderr(`mlspec init: ${displayPath(io.cwd, target)} already exists; not overwriting it\n`);
      return EXIT.usage;
    }
    mkdirSync(dir, { recursive: true });
    // Write beside the target, then rename: a reader never sees half a file.
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, starterSpec({ name, team, cluster }), { flag: 'wx' });
    renameSync(temp, target);
    io.stdout(`wrote ${displayPath(io.cwd, target)}\nnext: edit it, then run \`mlspec validate ${displayPath(io.cwd, dir)}\`\n`);
    return EXIT.ok;
  },
};
