// Everything `mlspec check` reports, in one value that each output format renders.
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Changes } from './changes.js';
import type { ExperimentChange } from './experiments.js';
import type { LocatedFinding, Review } from './review.js';

export interface ReportSystem {
  readonly name: string;
  readonly file: string;
  readonly team: string;
  readonly environments: readonly string[];
}

export interface CheckReport {
  readonly tool: { readonly name: 'mlspec'; readonly version: string };
  /** Problems that stopped the check (invalid specs, a policy that does not compile). */
  readonly diagnostics: readonly Diagnostic[];
  readonly review?: Review;
  readonly systems: readonly ReportSystem[];
  /** Policies were skipped (`--no-policies`). */
  readonly policiesSkipped: boolean;
  readonly policyRoots: readonly string[];
  /** What the change does to the cluster, with `--base`. */
  readonly changes?: Changes;
  /** A/B tests whose weights the change moves (with `--base`), with their reports when data was given. */
  readonly experiments?: readonly ExperimentChange[];
  /** Mermaid diagrams of the systems the change touches (all systems without `--base`), by name. */
  readonly diagrams?: ReadonlyMap<string, string>;
  /** A web link to a line of a file in the repository, when the review knows where it is hosted. */
  readonly link?: (file: string, line?: number) => string | undefined;
}

/** 0, 1: the check passes when nothing stopped it and no deny finding stands unwaived. */
export function reportPasses(report: CheckReport): boolean {
  if (report.diagnostics.some((d) => d.severity === 'error')) return false;
  return (report.review?.findings ?? []).every((f) => f.severity !== 'deny' || f.waiver !== undefined);
}

export const where = (f: LocatedFinding): string =>
  f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : (f.objectFile ?? '');

export const scopeOf = (f: LocatedFinding): string => (f.environment ? `${f.system}/${f.environment}` : f.system);
