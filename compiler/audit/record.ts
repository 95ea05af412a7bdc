// From a finished check to a provenance statement: what was rendered (every file of out/ as
// compile writes it), from what (spec files, platform config, policy set), and what was decided.
import { canonicalJson } from '../../core/canonical-json.js';
import { sha256Hex } from '../../core/hash.js';
import type { PolicySet } from '../policy/policy-set.js';
import type { Analysis } from '../pipeline/pipeline.js';
import type { Review } from '../review/review.js';
import { buildStatement, type Statement } from './provenance.js';

export interface RecordInput {
  readonly analysis: Analysis;
  readonly review: Review;
  readonly policySet?: PolicySet;
  /** Rendered files relative to the output folder → sha256. */
  readonly digests: ReadonlyMap<string, string>;
  readonly outShown: string;
  readonly version: string;
  readonly gitCommit?: string;
  readonly passed: boolean;
}

export function statementOf(input: RecordInput): Statement {
  const files = [...new Set(input.analysis.documents.map((d) => `${d.file}\u0000${d.fileDigest}`))].sort().map((k) => {
    const [file, sha256] = k.split('\u0000') as [string, string];
    return { file, sha256 };
  });
  const platformFile = input.analysis.platform?.document.file;
  const specs = files.filter((f) => f.file !== platformFile);
  const platform = files.find((f) => f.file === platformFile);
  const modules = input.policySet?.spec.modules ?? [];
  return buildStatement({
    version: input.version,
    ...(input.gitCommit ? { gitCommit: input.gitCommit } : {}),
    files: [...input.digests].map(([path, sha]) => [`${input.outShown}/${path}`, sha] as const),
    specs,
    ...(platform ? { platformConfig: platform } : {}),
    policySet: {
      sha256: sha256Hex(canonicalJson({ modules, data: input.policySet?.spec.data ?? {} })),
      policies: input.review.policies.map((p) => p.id),
    },
    findings: input.review.findings,
    passed: input.passed,
  });
}
