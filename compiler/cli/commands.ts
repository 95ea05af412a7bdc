// Every `mlspec` subcommand, in the order `mlspec --help` lists them. One import and one
// entry per command.
import type { Command } from './io.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [
  validateCommand,
];
