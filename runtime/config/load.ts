// Reading the config file from disk. Every path in the config (models, their external data,
// the events file, the override secret) is relative to the folder the config was named in (not
// its symlink target), so a ConfigMap mount behaves like a folder.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Variant } from '../contract/config.js';
import { validateConfig, type ConfigOutcome, type ValidConfig } from './validate.js';

export async function readConfigText(
  file: string,
): Promise<{ readonly text: string } | { readonly diagnostics: Diagnostic[] }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
    return {
      diagnostics: [
        error('config_unreadable', `config file ${reason}`, {
          location: { file, line: 1, column: 1 },
          hint: 'pass the file the compiler generated with --config',
        }),
      ],
    };
  }
}

export async function loadConfigFile(file: string): Promise<ConfigOutcome> {
  const read = await readConfigText(file);
  return 'text' in read ? validateConfig(read.text, file) : { ok: false, diagnostics: read.diagnostics };
}

/** A path of the config, resolved against the config's folder (absolute paths stay as they are). */
export function configPath(config: ValidConfig, path: string): string {
  return resolve(dirname(config.file), path);
}

export function variantPath(config: ValidConfig, variant: Variant): string {
  return configPath(config, variant.path);
}
