// The front half of every command: load → validate → resolve. Each stage runs on what the
// previous one accepted, and all diagnostics of all stages are returned together.
import { error, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { loadPaths, type LoadOptions } from './load/load.js';
import type { LoadedDocument } from './load/document.js';
import { locate } from '../core/source/source-map.js';
import { validateDocuments, type ValidatedPlatform, type ValidatedSystem } from './validate/validate.js';
import { resolveSystems } from './resolve/resolve.js';
import type { ResolvedSystem } from './resolve/resolved.js';

export interface AnalyzeOptions extends LoadOptions {
  readonly cwd: string;
  /** Only these environments (all when absent). */
  readonly environments?: readonly string[];
  /** A platform config outside the given paths. */
  readonly platformFile?: string;
}

export interface Analysis {
  readonly documents: readonly LoadedDocument[];
  readonly systems: readonly ValidatedSystem[];
  readonly platform?: ValidatedPlatform;
  readonly resolved: readonly ResolvedSystem[];
  readonly diagnostics: readonly Diagnostic[];
}

function pickPlatform(
  platforms: readonly ValidatedPlatform[],
  systems: readonly ValidatedSystem[],
): { platform?: ValidatedPlatform; diagnostics: Diagnostic[] } {
  if (platforms.length === 1) return { platform: platforms[0], diagnostics: [] };
  if (platforms.length === 0) {
    if (systems.length === 0) return { diagnostics: [] };
    return {
      diagnostics: [
        error('no_platform', 'no platform config (`kind: Platform`) among the inputs', {
          hint: 'pass the directory that holds platform.yaml, or `--platform FILE`',
        }),
      ],
    };
  }
  return {
    diagnostics: platforms.slice(1).map((p) =>
      error(
        'duplicate_platform',
        `a second platform config \`${p.platform.metadata.name}\`; only one is used per run`,
        {
          location: locate(p.document.locations, '/kind'),
          pointer: '/kind',
          hint: `keep one; the first is ${platforms[0]!.document.file}`,
        },
      ),
    ),
  };
}

export async function analyze(paths: readonly string[], options: AnalyzeOptions): Promise<Analysis> {
  const loaded = await loadPaths(options.platformFile ? [...paths, options.platformFile] : paths, options.cwd, options);
  const validated = validateDocuments(loaded.documents);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...validated.diagnostics];
  const picked = pickPlatform(validated.platforms, validated.systems);
  diagnostics.push(...picked.diagnostics);
  if (loaded.documents.length === 0 && loaded.diagnostics.length === 0) {
    diagnostics.push(
      error('no_input', `no spec files found in ${paths.join(', ')}`, {
        hint: 'give spec files (.yaml, .yml, .json, .jsonnet) or directories that contain them',
      }),
    );
  }
  let resolved: ResolvedSystem[] = [];
  if (picked.platform) {
    const r = resolveSystems(validated.systems, picked.platform, { environments: options.environments });
    resolved = r.systems;
    diagnostics.push(...r.diagnostics);
  }
  return { documents: loaded.documents, systems: validated.systems, platform: picked.platform, resolved, diagnostics };
}
