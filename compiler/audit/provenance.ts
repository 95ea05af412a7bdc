// The provenance of what a check approved: an in-toto Statement (v1) whose subjects are the
// rendered files with their sha256, and whose predicate records the specs, the platform config,
// the policy set, every policy decision and waiver, the tool and the commit.
import { canonicalJson } from '../../core/canonical-json.js';
import { sha256Hex } from '../../core/hash.js';
import type { LocatedFinding } from '../review/review.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://mlspec.io/attestations/review/v1';

export interface Subject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

export interface ReviewPredicate {
  readonly builder: { readonly id: 'mlspec'; readonly version: string };
  readonly gitCommit?: string;
  readonly specs: readonly { file: string; sha256: string }[];
  readonly platformConfig?: { file: string; sha256: string };
  readonly policySet: { readonly sha256: string; readonly policies: readonly string[] };
  readonly verdict: 'pass' | 'fail';
  readonly decisions: readonly Record<string, unknown>[];
  readonly waivers: readonly Record<string, unknown>[];
  /** sha256 of the subjects (what was rendered). */
  readonly contentDigest: string;
  /** sha256 of the decisions and waivers (what was judged). */
  readonly decisionsDigest: string;
}

export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly Subject[];
  readonly predicateType: typeof PREDICATE_TYPE;
  readonly predicate: ReviewPredicate;
}

export const contentDigestOf = (subjects: readonly Subject[]) => sha256Hex(canonicalJson(subjects));

export function decisionsDigestOf(decisions: readonly unknown[], waivers: readonly unknown[]): string {
  return sha256Hex(canonicalJson({ decisions, waivers }));
}

export interface StatementInput {
  readonly version: string;
  readonly gitCommit?: string;
  /** Rendered files: path as shown (out/...) → content sha256. */
  readonly files: readonly (readonly [string, string])[];
  readonly specs: readonly { file: string; sha256: string }[];
  readonly platformConfig?: { file: string; sha256: string };
  readonly policySet: { sha256: string; policies: readonly string[] };
  readonly findings: readonly LocatedFinding[];
  readonly passed: boolean;
}

export function buildStatement(input: StatementInput): Statement {
  const subject = input.files.map(([name, sha256]) => ({ name, digest: { sha256 } }));
  const decisions = input.findings.map((f) => ({
    policy: f.policy,
    severity: f.severity,
    system: f.system,
    environment: f.environment,
    message: f.message,
    pointer: f.pointer,
    ...(f.location ? { file: f.location.file, line: f.location.line } : {}),
    waived: f.waiver !== undefined,
  }));
  const waived = new Map<string, Record<string, unknown>>();
  for (const f of input.findings) {
    if (!f.waiver) continue;
    const w = f.waiver;
    waived.set(`${w.origin.file}#${w.origin.pointer}`, {
      policy: w.policy,
      system: w.system,
      ...(w.environment ? { environment: w.environment } : {}),
      justification: w.justification,
      approvedBy: w.approvedBy,
      expires: w.expires,
      file: w.origin.file,
      pointer: w.origin.pointer,
    });
  }
  const waivers = [...waived.keys()].sort().map((k) => waived.get(k)!);
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: {
      builder: { id: 'mlspec', version: input.version },
      ...(input.gitCommit ? { gitCommit: input.gitCommit } : {}),
      specs: input.specs,
      ...(input.platformConfig ? { platformConfig: input.platformConfig } : {}),
      policySet: input.policySet,
      verdict: input.passed ? 'pass' : 'fail',
      decisions,
      waivers,
      contentDigest: contentDigestOf(subject),
      decisionsDigest: decisionsDigestOf(decisions, waivers),
    },
  };
}
