// What a policy says about itself: OPA's `# METADATA` block before the `package` line (YAML in
// comments: title, description, and under `custom` the severity, the controls the policy
// implements and the remediation). The review shows it; SARIF makes one rule of each policy.
import { parse } from 'yaml';
import type { FindingSeverity } from './finding.js';

export interface PolicyInfo {
  /** The package path without `data.`, e.g. `mlspec.data_residency`: the policy's id. */
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description?: string;
  /** The most severe finding it reports. */
  readonly severity: FindingSeverity;
  /** Controls it implements: `ISO27001:A.8.20`, `GDPR:Art.32`, `UAE-PDPL:Art.22`. */
  readonly controls: readonly string[];
  readonly remediation?: string;
}

const SEVERITIES: readonly string[] = ['deny', 'warn', 'info'];

/** The package path of a module, from its `package` line; undefined when there is none. */
export function packageOf(source: string): { path: string; line: number } | undefined {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^package\s+([A-Za-z_][\w.]*)\s*(#.*)?$/.exec(lines[i]!.trim());
    if (m) return { path: m[1]!, line: i + 1 };
  }
  return undefined;
}

/** The YAML of the `# METADATA` comment block that ends right above `line` (1-based), if any. */
function metadataAbove(lines: readonly string[], line: number): string | undefined {
  let end = line - 2;
  const block: string[] = [];
  while (end >= 0 && /^\s*#/.test(lines[end]!)) {
    const text = lines[end]!.replace(/^\s*# ?/, '');
    if (text.trim() === 'METADATA') return block.reverse().join('\n');
    block.push(text);
    end--;
  }
  return undefined;
}

export interface MetadataProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The policy's metadata, with defaults for what it leaves out, and what is wrong with it. */
export function policyInfo(file: string, source: string): { info?: PolicyInfo; problems: MetadataProblem[] } {
  const pkg = packageOf(source);
  if (!pkg) return { problems: [{ file, line: 1, message: 'the module has no package line' }] };
  const problems: MetadataProblem[] = [];
  let meta: Record<string, unknown> = {};
  const yaml = metadataAbove(source.split('\n'), pkg.line);
  if (yaml !== undefined) {
    try {
      const parsed = parse(yaml) as unknown;
      if (parsed && typeof parsed === 'object') meta = parsed as Record<string, unknown>;
    } catch (e) {
      problems.push({ file, line: pkg.line, message: `its METADATA is not YAML: ${(e as Error).message}` });
    }
  }
  const custom = (meta.custom && typeof meta.custom === 'object' ? meta.custom : {}) as Record<string, unknown>;
  const severity = typeof custom.severity === 'string' ? custom.severity : 'deny';
  if (!SEVERITIES.includes(severity))
    problems.push({ file, line: pkg.line, message: `custom.severity \`${severity}\` is not deny, warn or info` });
  const controls = Array.isArray(custom.controls) ? custom.controls.filter((c) => typeof c === 'string') : [];
  return {
    info: {
      id: pkg.path,
      file,
      title: typeof meta.title === 'string' ? meta.title : pkg.path,
      ...(typeof meta.description === 'string' ? { description: meta.description.trim() } : {}),
      severity: SEVERITIES.includes(severity) ? (severity as FindingSeverity) : 'deny',
      controls,
      ...(typeof custom.remediation === 'string' ? { remediation: custom.remediation.trim() } : {}),
    },
    problems,
  };
}
