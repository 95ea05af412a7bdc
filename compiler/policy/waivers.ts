// Exceptions to policies, from the platform config and the specs. A waiver covers the findings
// of one policy for one system (optionally one environment, one place in the spec, or messages
// containing a text) until its expiry date. Waived findings stay in the review, marked. A waiver
// is itself a finding when it is expired (deny: the exception ended), names a policy that does
// not exist (deny: it waives nothing anyone can see) or matches nothing that was checked (warn:
// stale exceptions hide future findings).
import type { Finding } from './finding.js';

export interface Waiver {
  readonly policy: string;
  readonly system: string;
  readonly environment?: string;
  readonly pointer?: string;
  readonly match?: string;
  readonly justification: string;
  readonly approvedBy: string;
  /** Last day it applies, YYYY-MM-DD (UTC). */
  readonly expires: string;
  /** Where it is written: the spec of `system` or the platform config, and the pointer there. */
  readonly origin: { readonly document: 'spec' | 'platform'; readonly file: string; readonly pointer: string };
}

export type ReviewedFinding = Finding & { readonly waiver?: Waiver };

/** The synthetic policy that reports problems with waivers themselves. */
export const WAIVER_POLICY = 'mlspec.waivers';

export interface WaiverProblem {
  readonly waiver: Waiver;
  readonly severity: 'deny' | 'warn';
  readonly message: string;
  readonly remediation: string;
}

export interface WaiverScope {
  /** Policies that exist in this run. */
  readonly policies: ReadonlySet<string>;
  /** `environment/system` pairs that were checked in this run. */
  readonly checked: ReadonlySet<string>;
  /** Today, YYYY-MM-DD (UTC). */
  readonly today: string;
}

function covers(w: Waiver, f: Finding): boolean {
  if (w.policy !== f.policy || w.system !== f.system) return false;
  if (w.environment !== undefined && w.environment !== f.environment) return false;
  if (w.pointer !== undefined && f.pointer !== w.pointer && !f.pointer.startsWith(`${w.pointer}/`)) return false;
  return w.match === undefined || f.message.includes(w.match);
}

export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  scope: WaiverScope,
): { findings: ReviewedFinding[]; problems: WaiverProblem[] } {
  const live = waivers.filter((w) => w.expires >= scope.today);
  const used = new Set<Waiver>();
  const reviewed = findings.map((f): ReviewedFinding => {
    const w = live.find((x) => covers(x, f));
    if (!w) return f;
    used.add(w);
    return { ...f, waiver: w };
  });
  const problems: WaiverProblem[] = [];
  for (const w of waivers) {
    const what = `waiver of ${w.policy} for ${w.system}${w.environment ? ` (${w.environment})` : ''}`;
    if (w.expires < scope.today) {
      problems.push({
        waiver: w,
        severity: 'deny',
        message: `the ${what} expired on ${w.expires}`,
        remediation: 'Renew the waiver with a new approval and expiry date, or remove it once the finding is fixed.',
      });
    } else if (!scope.policies.has(w.policy)) {
      // It waives nothing, so it hides nothing: a warning, not a failure.
      problems.push({
        waiver: w,
        severity: 'warn',
        message: `the ${what} names a policy that is not loaded, so it waives nothing`,
        remediation:
          'Name the policy by its package (e.g. mlspec.safe_rollout), or remove the waiver if the policy is gone.',
      });
    } else if (!used.has(w) && wasChecked(w, scope.checked)) {
      problems.push({
        waiver: w,
        severity: 'warn',
        message: `the ${what} matches no finding: remove it`,
        remediation: 'Remove the waiver: what it covered no longer happens.',
      });
    }
  }
  return { findings: reviewed, problems };
}

/** A waiver can only be called unused when what it covers was checked in this run. */
function wasChecked(w: Waiver, checked: ReadonlySet<string>): boolean {
  if (w.environment !== undefined) return checked.has(`${w.environment}/${w.system}`);
  for (const key of checked) if (key.endsWith(`/${w.system}`)) return true;
  return false;
}
