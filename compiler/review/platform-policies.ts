// The policies the platform config brings besides Rego folders: OPA Wasm bundles
// (`policy.bundles`) and Gatekeeper folders (`policy.gatekeeper`), read and checked before any
// system is rendered, then joined to the run's policy set.
import { isDirectory } from '../../core/files.js';
import { dirname, resolve } from 'node:path';
import { compareCodeUnits } from '../../core/compare.js';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { locate } from '../../core/source/source-map.js';
import type { Analysis } from '../pipeline/pipeline.js';
import { loadGatekeeperSet } from '../policy/gatekeeper/set.js';
import type { PolicySet } from '../policy/policy-set.js';
import { type BundleSpec, loadBundles } from '../policy/wasm/bundle-set.js';

export interface PlatformPolicies {
  readonly diagnostics: readonly Diagnostic[];
  /** The run's Rego policy set with the bundles and constraints added. */
  join(set: PolicySet | undefined, roots: string[]): PolicySet | undefined;
}

export function platformPolicies(analysis: Analysis, cwd: string): PlatformPolicies {
  const bundles = platformBundles(analysis, cwd);
  const gatekeeper = platformGatekeeper(analysis, cwd);
  return {
    diagnostics: [...bundles.diagnostics, ...gatekeeper.diagnostics],
    join: (set, roots) => withPlatformPolicies(set, bundles.specs, gatekeeper, roots),
  };
}

/** The OPA Wasm bundles the platform config lists (`policy.bundles`), read and checked. */
function platformBundles(analysis: Analysis, cwd: string): ReturnType<typeof loadBundles> {
  const platform = analysis.platform;
  const listed = platform?.platform.policy?.bundles ?? [];
  if (!platform || listed.length === 0) return { specs: [], diagnostics: [] };
  const doc = platform.document;
  return loadBundles(listed, {
    dir: dirname(resolve(cwd, doc.file)),
    cwd,
    locate: (pointer) => locate(doc.locations, pointer, true),
  });
}

/** The Gatekeeper folders the platform config lists (`policy.gatekeeper`), read and compiled. */
function platformGatekeeper(analysis: Analysis, cwd: string): ReturnType<typeof loadGatekeeperSet> {
  const platform = analysis.platform;
  const listed = platform?.platform.policy?.gatekeeper ?? [];
  if (!platform || listed.length === 0) return { policies: [], diagnostics: [] };
  const dir = dirname(resolve(cwd, platform.document.file));
  const missing = listed.filter((p) => !isDirectory(resolve(dir, p)));
  if (missing.length > 0)
    return {
      policies: [],
      diagnostics: missing.map((p) =>
        error('policy_path_missing', `Gatekeeper folder \`${p}\` (from the platform config) does not exist`, {
          location: { file: platform.document.file, line: 1, column: 1 },
          hint: 'Fix `policy.gatekeeper` in the platform config: paths are relative to the platform config file.',
        }),
      ),
    };
  return loadGatekeeperSet(
    listed.map((p) => resolve(dir, p)),
    cwd,
  );
}

function withPlatformPolicies(
  set: PolicySet | undefined,
  bundles: readonly BundleSpec[],
  gatekeeper: ReturnType<typeof loadGatekeeperSet>,
  roots: string[],
): PolicySet | undefined {
  if (bundles.length === 0 && !gatekeeper.spec) return set && { ...set, roots };
  const extra = [...bundles.flatMap((b) => b.policies), ...gatekeeper.policies];
  const policies = [...(set?.policies ?? []), ...extra].sort((a, b) => compareCodeUnits(a.id, b.id));
  const spec = set?.spec ?? { modules: [], policies: [] };
  return {
    spec: {
      ...spec,
      ...(bundles.length > 0 ? { bundles } : {}),
      ...(gatekeeper.spec ? { gatekeeper: gatekeeper.spec } : {}),
    },
    policies,
    roots,
  };
}
