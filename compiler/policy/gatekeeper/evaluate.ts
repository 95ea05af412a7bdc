// A template's Rego, compiled once, judges one object under one constraint: Gatekeeper's
// `violation[{"msg": msg, "details": details}]` rule of the template's package, with the
// template's libs beside it. Every way the evaluation can fail (a builtin error, a limit, a
// violation without a `msg`) is an error, never "no violation". Suites are judged as `gator
// verify` judges them instead (see `verify`).
import {
  type EvalLimits,
  type PreparedQuery,
  type QueryResult,
  RegoEngine,
  type RegoError,
  toJS,
} from '../../rego/engine.js';
import type { K8sObject } from '../../render/base/manifest-set.js';
import type { GatekeeperConstraint, GatekeeperTemplate } from './resources.js';
import { admissionReview, type Inventory } from './review.js';

export interface Violation {
  readonly msg: string;
  readonly details?: unknown;
}

export type Judged = { ok: true; violations: Violation[] } | { ok: false; error: string };

export interface CompiledTemplate {
  readonly template: GatekeeperTemplate;
  /** `request`: an admission request to review as given (suites may hold AdmissionReviews). */
  judge(
    constraint: GatekeeperConstraint,
    object: K8sObject,
    inventory: Inventory,
    limits?: Partial<EvalLimits>,
    request?: Record<string, unknown>,
  ): Judged;
  /**
   * The violations of `review` (`input.review`) as Gatekeeper's Rego driver finds them: a failing
   * builtin is undefined (OPA's default), and any other evaluation error is itself a violation
   * whose message is the error. A limit that is hit stays an error.
   */
  verify(constraint: GatekeeperConstraint, review: Record<string, unknown>, inventory: Inventory): Judged;
}

/**
 * A problem of the template's Rego, at its line in the template's file: block scalars start on the
 * line after the key, so Rego line n is file line `line + n`.
 */
function described(t: GatekeeperTemplate, e: RegoError): { message: string; line: number } {
  const rego = t.rego!;
  const module = e.location?.file;
  const index = module === `${t.name}.rego` ? -1 : rego.libs.findIndex((_, i) => module === libFile(t, i));
  const start = index < 0 ? rego.line : rego.libLines?.[index];
  const line = e.location && start !== undefined ? start + e.location.line : t.line;
  return { message: `ConstraintTemplate ${t.name}: ${e.message}`, line };
}

const libFile = (t: GatekeeperTemplate, i: number) => `${t.name}/lib${i}.rego`;

export type Compiled =
  | { ok: true; value: CompiledTemplate }
  | { ok: false; errors: { message: string; line: number }[] };

/**
 * Compiled once per template object: the main thread checks every template when it reads them
 * and then reviews each environment with the same ones (workers get copies and compile theirs).
 */
const compiledTemplates = new WeakMap<GatekeeperTemplate, Compiled>();

export function compileTemplate(t: GatekeeperTemplate): Compiled {
  let compiled = compiledTemplates.get(t);
  if (!compiled) compiledTemplates.set(t, (compiled = compileOnce(t)));
  return compiled;
}

function compileOnce(t: GatekeeperTemplate): Compiled {
  const rego = t.rego;
  if (!rego)
    return { ok: false, errors: [{ message: `ConstraintTemplate ${t.name} has no Rego (CEL only)`, line: t.line }] };
  if (rego.package === 'lib' || rego.package.startsWith('lib.'))
    return {
      ok: false,
      errors: [{ message: `ConstraintTemplate ${t.name}: its package must not be under \`lib\``, line: t.line }],
    };
  // Gatekeeper refuses a template without the rule it queries; here it would pass everything.
  if (!/^\s*violation\b/m.test(rego.source))
    return {
      ok: false,
      errors: [{ message: `ConstraintTemplate ${t.name}: its Rego has no \`violation\` rule`, line: t.line }],
    };
  const modules = [
    { file: `${t.name}.rego`, source: rego.source, regoVersion: rego.version },
    ...rego.libs.map((source, i) => ({ file: libFile(t, i), source, regoVersion: rego.version })),
  ];
  const engine = RegoEngine.load(modules);
  if (!engine.ok) return { ok: false, errors: engine.errors.map((e) => described(t, e)) };
  // Inventory and input travel together as the query's input: the engine's data is fixed at load.
  const query = engine.value.prepare(
    `data.${rego.package}.violation with data.inventory as input.inventory with input as input.input`,
  );
  if (!query.ok) return { ok: false, errors: query.errors.map((e) => described(t, e)) };
  return {
    ok: true,
    value: {
      template: t,
      judge: (c, o, inv, limits, request) => judge(query.value, c, o, inv, limits, request),
      verify: (c, review, inv) => verify(query.value, c, review, inv),
    },
  };
}

function judge(
  query: PreparedQuery,
  constraint: GatekeeperConstraint,
  object: K8sObject,
  inventory: Inventory,
  limits: Partial<EvalLimits> | undefined,
  request: Record<string, unknown> | undefined,
): Judged {
  const input = { review: request ?? admissionReview(object), parameters: constraint.parameters };
  const out = query.evaluate({ input, inventory }, { strictBuiltinErrors: true, ...(limits ? { limits } : {}) });
  if (!out.ok) return { ok: false, error: `${out.error.code}: ${out.error.message}` };
  const builtin = out.builtinErrors[0];
  if (builtin) return { ok: false, error: `${builtin.code}: ${builtin.message}` };
  return violationsOf(out.results);
}

function verify(
  query: PreparedQuery,
  constraint: GatekeeperConstraint,
  review: Record<string, unknown>,
  inventory: Inventory,
): Judged {
  const out = query.evaluate({ input: { review, parameters: constraint.parameters }, inventory });
  if (out.ok) return violationsOf(out.results);
  const error = `${out.error.code}: ${out.error.message}`;
  return out.error.code === 'eval_limit_error' ? { ok: false, error } : { ok: true, violations: [{ msg: error }] };
}

function violationsOf(results: readonly QueryResult[]): Judged {
  const value = results[0]?.expressions[0]?.value;
  if (value === undefined) return { ok: true, violations: [] };
  const items = toJS(value);
  if (!Array.isArray(items)) return { ok: false, error: '`violation` must be a set' };
  const violations: Violation[] = [];
  for (const item of items) {
    const v = item as Record<string, unknown> | null;
    if (!v || typeof v !== 'object' || typeof v.msg !== 'string')
      return { ok: false, error: `a violation has no \`msg\` string: ${JSON.stringify(item).slice(0, 200)}` };
    violations.push({ msg: v.msg, ...(v.details !== undefined ? { details: v.details } : {}) });
  }
  return { ok: true, violations: violations.sort((a, b) => (a.msg < b.msg ? -1 : a.msg > b.msg ? 1 : 0)) };
}
