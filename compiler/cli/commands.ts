// Every `mlspec` subcommand, in the order `mlspec --help` lists them. One import and one
// entry per command.
import type { Command } from './io.js';
import { validateCommand } from './validate.js';
import { compileCommand } from './compile.js';
import { schemaCommand } from './schema.js';
import { initCommand } from './init.js';
import { serveCommand } from './serve.js';
import { policyCommand } from './policy.js';

export const commands: readonly Command[] = [
  validateCommand,
  compileCommand,
  schemaCommand,
  initCommand,
  serveCommand,
  policyCommand,
];
