// The OPA Wasm bundles the platform config lists (`policy.bundles`): read, checked and turned into
// plain data that render workers prepare (stage.ts), like the Rego policies. Each entrypoint
// ending in `deny`, `warn` or `info` reports findings of the policy named by the path before it
// (`acme/images/deny` → `acme.images`); the bundle's Rego sources, when it ships them, give the
// policy its METADATA (title, controls, remediation).
import { resolve } from 'node:path';
import { error, type Diagnostic, type SourceLocation } from '../../../core/diagnostics/diagnostic.js';
import { loadPolicyPaths, toJS } from '../../rego/engine.js';
import type { PolicyBundle } from '../../schema/platform.js';
import type { FindingSeverity } from '../finding.js';
import { packageOf, type PolicyInfo, policyInfo } from '../metadata.js';
import { BundleError, readBundleFile } from './bundle.js';
import { WasmEngine } from './wasm-engine.js';

/** A bundle as render workers receive it. */
export interface BundleSpec {
  readonly file: string;
  readonly wasm: Uint8Array;
  readonly data: Record<string, unknown>;
  readonly rules: readonly {
    readonly entrypoint: string;
    readonly policy: string;
    readonly severity: FindingSeverity;
  }[];
  /** One per policy the bundle's entrypoints report. */
  readonly policies: readonly PolicyInfo[];
}

const RANK: Record<FindingSeverity, number> = { deny: 0, warn: 1, info: 2 };

export interface BundleSource {
  /** The platform config's folder (paths are relative to it). */
  readonly dir: string;
  readonly cwd: string;
  /** Where a pointer of the platform config is (for errors). */
  readonly locate: (pointer: string) => SourceLocation | undefined;
}

export function loadBundles(
  bundles: readonly PolicyBundle[],
  source: BundleSource,
): { specs: BundleSpec[]; diagnostics: Diagnostic[] } {
  const specs: BundleSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  bundles.forEach((b, i) => {
    const problem = (pointer: string, message: string, hint: string) => {
      const location = source.locate(`/policy/bundles/${i}${pointer}`);
      diagnostics.push(error('policy_bundle', message, { ...(location ? { location } : {}), hint }));
    };
    const shown = b.file;
    let bundle: ReturnType<typeof readBundleFile>;
    try {
      bundle = readBundleFile(resolve(source.dir, b.file), shown);
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      return problem(
        '/file',
        e.message,
        'Build it with `opa build -t wasm -e <entrypoint> ...`; paths are relative to the platform config.',
      );
    }
    const files = loadPolicyPaths(
      (b.data ?? []).map((d) => resolve(source.dir, d)),
      source.cwd,
    );
    if (files.errors.length > 0 || files.modules.length > 0)
      return problem(
        '/data',
        files.errors[0]?.message ?? `${files.modules[0]!.file} is Rego: a bundle is compiled, give only data files`,
        'List data files (.json, .yaml) or folders of them.',
      );
    const data = toJS(files.data) as Record<string, unknown>;
    // Loaded once here so that a bundle that does not load, or lacks an entrypoint, stops the run
    // with a located error instead of failing on every worker.
    const engine = WasmEngine.load(bundle, { data });
    if (!engine.ok) return problem('/file', engine.errors[0]!.message, 'Rebuild the bundle with `opa build -t wasm`.');
    const known = engine.value.entrypoints;
    engine.value.close();
    const rules = b.entrypoints.map((entrypoint) => {
      const parts = entrypoint.split('/');
      return { entrypoint, policy: parts.slice(0, -1).join('.'), severity: parts.at(-1) as FindingSeverity };
    });
    rules.forEach((r, j) => {
      if (!(r.entrypoint in known))
        problem(
          `/entrypoints/${j}`,
          `${shown} has no entrypoint \`${r.entrypoint}\` (it has ${Object.keys(known).sort().join(', ') || 'none'})`,
          'Rebuild the bundle with `-e` for this entrypoint, or fix its name.',
        );
    });
    specs.push({
      file: shown,
      wasm: bundle.wasm,
      data: { ...bundle.data, ...data },
      rules,
      policies: policiesOf(shown, bundle.modules, rules),
    });
  });
  return { specs, diagnostics };
}

function policiesOf(
  file: string,
  modules: readonly { file: string; source: string }[],
  rules: BundleSpec['rules'],
): PolicyInfo[] {
  const ids = [...new Set(rules.map((r) => r.policy))].sort();
  return ids.map((id) => {
    const module = modules.find((m) => packageOf(m.source)?.path === id);
    const described = module && policyInfo(module.file, module.source).info;
    const severity = rules
      .filter((r) => r.policy === id)
      .map((r) => r.severity)
      .sort((a, b) => RANK[a] - RANK[b])[0]!;
    return described ?? { id, file, title: id, severity, controls: [] };
  });
}
