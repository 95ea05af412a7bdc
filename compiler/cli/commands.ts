// Every `mlspec` subcommand, in the order `mlspec --help` lists them.
import type { Command } from './io.js';

export const commands: readonly Command[] = [];
