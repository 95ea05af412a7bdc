import { PUBLISHED_SCHEMAS, schemaJson, type SchemaName } from '../schema/json-schema.js';
import { EXIT, parseCommandArgs, UsageError, type CliIO, type Command } from './io.js';

const names = Object.keys(PUBLISHED_SCHEMAS) as SchemaName[];

const help = `Usage: mlspec schema [${names.join('|')}]

Print a JSON Schema (draft-07): the ML system spec by default, or the platform config or the
runtime config. The same schemas are committed under specs/schema/; point your editor at them:

  # yaml-language-server: $schema=./schema/mlsystem.schema.json

Options:
  -h, --help   show this help`;

export const schemaCommand: Command = {
  name: 'schema',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { positionals } = parseCommandArgs(argv, {});
    if (positionals.length > 1) throw new UsageError('give at most one schema name');
    const name = (positionals[0] ?? 'mlsystem') as SchemaName;
    if (!names.includes(name)) throw new UsageError(`unknown schema "${name}": use one of ${names.join(', ')}`);
    io.stdout(schemaJson(name));
    return EXIT.ok;
  },
};
