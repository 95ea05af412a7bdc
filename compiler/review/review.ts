// The review of a run: every policy finding placed where a person fixes it (the spec line, the
// platform config line, or the out/ file of a rendered object), waivers applied, and the verdict.
// `mlspec check` renders it in each output format; `validate` and `compile` show its findings.
import type { Diagnostic, SourceLocation } from '../../core/diagnostics/diagnostic.js';
import { compareCodeUnits } from '../../core/compare.js';
import { fileNameOf } from '../emit/layout.js';
import { locate } from '../../core/source/source-map.js';
import type { Finding, FindingSeverity } from '../policy/finding.js';
import type { PolicyInfo } from '../policy/metadata.js';
import { applyWaivers, type ReviewedFinding, WAIVER_POLICY, type Waiver } from '../policy/waivers.js';
import { type Analysis, locatorOf } from '../pipeline/pipeline.js';

export interface LocatedFinding extends ReviewedFinding {
  readonly title: string;
  /** Where to fix it: a spec line, or the platform config's. */
  readonly location?: SourceLocation;
  /** For a finding about a rendered object: its file under the output folder. */
  readonly objectFile?: string;
}

export interface Review {
  readonly policies: readonly PolicyInfo[];
  /** Sorted by location, then policy. */
  readonly findings: readonly LocatedFinding[];
  /** `environment/system` pairs checked. */
  readonly checked: readonly string[];
  readonly counts: Readonly<Record<FindingSeverity | 'waived', number>>;
}

export interface ReviewOptions {
  /** The output folder as shown (`out`), for the files of rendered objects. */
  readonly outShown: string;
  /** Today, YYYY-MM-DD (UTC): waivers expire against it. */
  readonly today: string;
}

/** Whether the review lets the change through: no deny finding that is not waived. */
export const passes = (r: Review): boolean => r.findings.every((f) => f.severity !== 'deny' || f.waiver);

export function waiversOf(analysis: Analysis): Waiver[] {
  const waivers: Waiver[] = [];
  const platform = analysis.platform;
  platform?.platform.policy?.waivers?.forEach((w, i) => {
    const origin = { document: 'platform' as const, file: platform.document.file, pointer: `/policy/waivers/${i}` };
    waivers.push({ ...w, origin });
  });
  for (const s of analysis.systems) {
    s.spec.compliance.waivers?.forEach((w, i) => {
      const origin = { document: 'spec' as const, file: s.document.file, pointer: `/compliance/waivers/${i}` };
      waivers.push({ ...w, system: s.spec.metadata.name, origin });
    });
  }
  return waivers;
}

export function buildReview(
  analysis: Analysis,
  policies: readonly PolicyInfo[],
  findings: readonly Finding[],
  options: ReviewOptions,
): Review {
  const checked = [...new Set(analysis.resolved.map((s) => `${s.environment}/${s.name}`))].sort(compareCodeUnits);
  const waivers = waiversOf(analysis);
  const applied = applyWaivers(findings, waivers, {
    policies: new Set(policies.map((p) => p.id)),
    checked: new Set(checked),
    today: options.today,
  });
  const titles = new Map(policies.map((p) => [p.id, p.title]));
  const locateSpec = locatorOf(analysis);
  const platformDoc = analysis.platform?.document;
  const located: LocatedFinding[] = applied.findings.map((f) => {
    const location = f.pointer.startsWith('platform:')
      ? platformDoc && locate(platformDoc.locations, f.pointer.slice('platform:'.length), true)
      : locateSpec(f.environment, f.system, f.pointer);
    return {
      ...f,
      title: titles.get(f.policy) ?? f.policy,
      ...(location ? { location } : {}),
      ...(f.object ? { objectFile: objectPath(options.outShown, f) } : {}),
    };
  });
  for (const p of applied.problems) {
    const doc =
      p.waiver.origin.document === 'platform'
        ? platformDoc
        : analysis.systems.find((s) => s.document.file === p.waiver.origin.file)?.document;
    const location = doc && locate(doc.locations, p.waiver.origin.pointer, true);
    located.push({
      policy: WAIVER_POLICY,
      title: 'Waivers',
      severity: p.severity,
      message: p.message,
      remediation: p.remediation,
      system: p.waiver.system,
      environment: p.waiver.environment ?? '',
      pointer: p.waiver.origin.document === 'spec' ? p.waiver.origin.pointer : '',
      ...(location ? { location } : {}),
    });
  }
  located.sort(compareFindings);
  const counts = { deny: 0, warn: 0, info: 0, waived: 0 };
  for (const f of located) {
    if (f.waiver) counts.waived++;
    else counts[f.severity]++;
  }
  return { policies, findings: located, checked, counts };
}

function objectPath(outShown: string, f: Finding): string {
  if (f.object!.path) return `${outShown}/${f.object!.path}`;
  return `${outShown}/${f.environment}/${f.system}/${fileNameOf(f.object!.kind, f.object!.name)}`;
}

function compareFindings(a: LocatedFinding, b: LocatedFinding): number {
  return (
    compareCodeUnits(a.location?.file ?? '', b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    compareCodeUnits(a.environment, b.environment) ||
    compareCodeUnits(a.policy, b.policy) ||
    compareCodeUnits(a.message, b.message)
  );
}

/** Findings as diagnostics, for `validate` and `compile` (deny → error, warn → warning). */
export function findingDiagnostics(review: Review): Diagnostic[] {
  return review.findings
    .filter((f) => f.severity !== 'info' && !f.waiver)
    .map((f) => ({
      code: f.policy,
      severity: f.severity === 'deny' ? 'error' : 'warning',
      message: `${f.message} (${f.environment ? `environment ${f.environment}, ` : ''}system ${f.system})`,
      ...(f.remediation ? { hint: f.remediation } : {}),
      ...(f.location ? { location: f.location } : {}),
      ...(f.pointer ? { pointer: f.pointer } : {}),
    }));
}
