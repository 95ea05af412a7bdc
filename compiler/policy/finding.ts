// What the policy stage reports: a finding of one policy about one system in one environment,
// located at the spec element it is about (and, for rendered objects, at the object).

export type FindingSeverity = 'deny' | 'warn' | 'info';

/** A rendered object a finding is about. */
export interface FindingObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Its file relative to the output folder, when it is not in the system's folder (a Namespace). */
  readonly path?: string;
}

export interface Finding {
  /** The policy's package path, e.g. `mlspec.residency`. */
  readonly policy: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly remediation?: string;
  /** Controls the policy implements (ISO/IEC 27001:2022 Annex A, GDPR and UAE PDPL articles). */
  readonly controls?: readonly string[];
  readonly system: string;
  readonly environment: string;
  /** JSON pointer into the system's spec. */
  readonly pointer: string;
  readonly object?: FindingObject;
}
