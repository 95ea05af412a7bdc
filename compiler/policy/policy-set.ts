// The policies of a run: every `.rego` module (tests excluded) and data file under the policy
// folders, compiled once here so that a policy that does not parse or compile fails the run
// before anything is judged. The result travels to render workers as plain data.
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { loadPolicyPaths, type RegoError, RegoEngine, toJS } from '../rego/engine.js';
import { type PolicyInfo, policyInfo } from './metadata.js';
import type { PolicySetSpec } from './stage.js';

export interface PolicySet {
  readonly spec: PolicySetSpec;
  /** One per policy module, sorted by id. */
  readonly policies: readonly PolicyInfo[];
  /** The folders the policies came from, as shown to users. */
  readonly roots: readonly string[];
}

const isTest = (file: string) => /_test\.rego$/.test(file);

/** A Rego error as a diagnostic: the run fails (a policy that cannot be evaluated never passes). */
export function regoDiagnostic(e: RegoError, fallbackFile?: string): Diagnostic {
  const location = e.location ?? (fallbackFile ? { file: fallbackFile, line: 1, column: 1 } : undefined);
  const details = e.details?.length ? `\n  ${e.details.join('\n  ')}` : '';
  return error('policy_error', `${e.code}: ${e.message}${details}`, {
    ...(location ? { location } : {}),
    hint: e.hint ?? 'Fix the policy: a policy that cannot be evaluated fails the check, it never passes.',
  });
}

export function loadPolicySet(roots: readonly string[], cwd: string): { set?: PolicySet; diagnostics: Diagnostic[] } {
  const loaded = loadPolicyPaths(roots, cwd);
  const diagnostics = loaded.errors.map((e) => regoDiagnostic(e));
  const modules = loaded.modules.filter((m) => !isTest(m.file));
  const policies: PolicyInfo[] = [];
  const ids = new Map<string, string>();
  for (const m of modules) {
    const { info, problems } = policyInfo(m.file, m.source);
    for (const p of problems) {
      diagnostics.push(
        error('policy_metadata', p.message, {
          location: { file: p.file, line: p.line, column: 1 },
          hint: 'See the policy pack README: title, description and custom.severity / controls / remediation.',
        }),
      );
    }
    if (!info) continue;
    // Several modules may share a package (rules spread over files): one policy.
    if (ids.has(info.id)) continue;
    ids.set(info.id, m.file);
    policies.push(info);
  }
  policies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (diagnostics.length > 0) return { diagnostics };
  const compiled = RegoEngine.load(modules, { data: loaded.data });
  if (!compiled.ok) return { diagnostics: compiled.errors.map((e) => regoDiagnostic(e)) };
  return {
    set: { spec: { modules, data: toJS(loaded.data), policies }, policies, roots: [...roots] },
    diagnostics: [],
  };
}
