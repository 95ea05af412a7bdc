// Gatekeeper test suites (`kind: Suite`, as `gator verify` runs them): each test pairs a
// ConstraintTemplate with a constraint, and each case reviews one object (with an inventory)
// and asserts on the violations: `violations` is "yes" (the default: at least one), "no" or a
// count, of the violations whose message matches the `message` regular expression, when given.
// Templates see what they would see under gator (review.ts, `CompiledTemplate.verify`).
// A case that cannot run (a missing file, a template with only CEL) fails; it never passes.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { RE2JS } from 're2js';
import { isInside, ReadScope } from '../../load/scope.js';
import type { K8sObject } from '../../render/base/manifest-set.js';
import { type CompiledTemplate, compileTemplate, type Violation } from './evaluate.js';
import { readResources, yamlFiles } from './load.js';
import { matches } from './match.js';
import { parameterProblem } from './parameters.js';
import { type GatekeeperConstraint, groupOf } from './resources.js';
import { inventoryOf, objectReview, requestReview, type SuiteReview } from './review.js';

export interface CaseResult {
  readonly suite: string;
  readonly test: string;
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message?: string;
}

type Obj = Record<string, unknown>;
/** The enforcement point gator reviews as: scoped constraints that do not name it (or `*`) do not run. */
const GATOR_POINT = 'gator.gatekeeper.sh';
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The file or folder a path names: gator's `PATH/...` (Go's "and everything below") is the
 * folder PATH, which is walked anyway.
 */
export function suitePath(path: string): string {
  if (path === '...') return '.';
  return path.endsWith('/...') ? path.slice(0, -3) || '/' : path;
}

/**
 * Suites come with pull requests, and a suite names files to read (template, constraint, objects,
 * inventory): those files, and the suites found under a folder, must be in the repository (the
 * working directory, links resolved). A path the caller gives outside the repository is the
 * caller's choice: its suites read what they name.
 */
export interface FoundSuite {
  readonly file: string;
  readonly suite: Obj;
  /** Where its files must be; absent for a suite under a path the caller gave outside the repository. */
  readonly scope?: ReadScope;
}

/** Why a file a suite names cannot be read, if it cannot. */
function unreadable(scope: ReadScope | undefined, abs: string, shown: string): string | undefined {
  const where = scope?.locate(abs) ?? (existsSync(abs) ? undefined : { kind: 'missing' as const });
  if (where?.kind === 'missing') return `${shown} does not exist`;
  if (where?.kind === 'outside')
    return `${shown} leads outside the repository (to ${where.real}): suites read only files inside it`;
  return undefined;
}

/** Every suite file under the paths (YAML documents of `kind: Suite`), and those that lead outside. */
export function findSuites(paths: readonly string[], cwd: string): { suites: FoundSuite[]; outside: string[] } {
  const suites: FoundSuite[] = [];
  const outside: string[] = [];
  const repository = new ReadScope(cwd);
  for (const p of paths) {
    const root = resolve(cwd, suitePath(p));
    const scope = isInside(root, cwd) ? repository : undefined;
    for (const abs of yamlFiles([root])) {
      const problem = unreadable(scope, abs, relative(cwd, abs) || abs);
      if (problem) {
        outside.push(problem);
        continue;
      }
      const { resources } = readResources([abs], cwd);
      for (const doc of resources.objects)
        if (doc.value.kind === 'Suite' && groupOf(doc.value.apiVersion) === 'test.gatekeeper.sh')
          suites.push({ file: abs, suite: doc.value, ...(scope ? { scope } : {}) });
    }
  }
  return { suites, outside };
}

export function runSuite({ file, suite, scope }: FoundSuite, cwd: string): CaseResult[] {
  const shown = relative(cwd, file).split('\\').join('/');
  const dir = dirname(file);
  const tests = Array.isArray(suite.tests) ? suite.tests.filter(isObj) : [];
  const results: CaseResult[] = [];
  for (const [i, t] of tests.entries()) {
    const test = typeof t.name === 'string' ? t.name : `test ${i + 1}`;
    const cases = Array.isArray(t.cases) ? t.cases.filter(isObj) : [];
    const result = (name: string, status: CaseResult['status'], message?: string): CaseResult => ({
      suite: shown,
      test,
      name,
      status,
      ...(message ? { message } : {}),
    });
    const caseName = (c: Obj, j: number) => (typeof c.name === 'string' ? c.name : `case ${j + 1}`);
    if (suite.skip === true || t.skip === true) {
      results.push(...cases.map((c, j) => result(caseName(c, j), 'skip')));
      continue;
    }
    const prepared = prepareTest(dir, t, cwd, scope);
    if (t.invalid === true) {
      const ok = 'invalid' in prepared;
      results.push(result('invalid', ok ? 'pass' : 'fail', ok ? undefined : 'the constraint is valid, want invalid'));
      continue;
    }
    if ('error' in prepared || 'invalid' in prepared) {
      const message = 'error' in prepared ? prepared.error : prepared.invalid;
      const names = cases.length > 0 ? cases.map(caseName) : ['(no cases)'];
      results.push(...names.map((n) => result(n, 'fail', message)));
      continue;
    }
    for (const [j, c] of cases.entries()) {
      if (c.skip === true) {
        results.push(result(caseName(c, j), 'skip'));
        continue;
      }
      const problem = runCase(dir, c, prepared, cwd, scope);
      results.push(result(caseName(c, j), problem ? 'fail' : 'pass', problem));
    }
  }
  return results;
}

interface PreparedTest {
  readonly compiled: CompiledTemplate;
  readonly constraint: GatekeeperConstraint;
}

/** The test's template and constraint, or why they cannot be used. */
function prepareTest(
  dir: string,
  t: Obj,
  cwd: string,
  scope: ReadScope | undefined,
): PreparedTest | { error: string } | { invalid: string } {
  const read = (key: 'template' | 'constraint') => {
    const p = t[key];
    if (typeof p !== 'string' || !p) return { error: `the test has no \`${key}\`` };
    const abs = resolve(dir, p);
    const problem = unreadable(scope, abs, `${key} ${p}`);
    if (problem) return { error: problem };
    return readResources([abs], cwd);
  };
  const tr = read('template');
  if ('error' in tr) return tr;
  const cr = read('constraint');
  if ('error' in cr) return cr;
  const problem = [...tr.diagnostics, ...cr.diagnostics][0];
  const [template] = tr.resources.templates;
  if (problem && !template) return { error: problem.message };
  if (!template || tr.resources.templates.length !== 1)
    return { error: `${t.template} must hold exactly one ConstraintTemplate` };
  // A constraint Gatekeeper refuses (bad match, bad action) is an invalid constraint.
  if (cr.diagnostics.length > 0) return { invalid: cr.diagnostics[0]!.message };
  const [constraint] = cr.resources.constraints;
  if (!constraint || cr.resources.constraints.length !== 1)
    return { error: `${t.constraint} must hold exactly one constraint` };
  if (constraint.kind !== template.kind)
    return { error: `constraint ${constraint.name} is a ${constraint.kind}, not a ${template.kind}` };
  const invalid = parameterProblem(template.schema, constraint.parameters);
  if (invalid) return { invalid: `constraint ${constraint.name}: ${invalid}` };
  if (!template.rego)
    return {
      error: `unsupported: ConstraintTemplate ${template.name} has only CEL code (${template.engines.join(', ')})`,
    };
  const compiled = compileTemplate(template);
  if (!compiled.ok) return { error: compiled.errors.map((e) => `${template.file}:${e.line}: ${e.message}`).join('; ') };
  return { compiled: compiled.value, constraint };
}

function runCase(
  dir: string,
  c: Obj,
  test: PreparedTest,
  cwd: string,
  scope: ReadScope | undefined,
): string | undefined {
  if (typeof c.object !== 'string' || !c.object) return 'the case has no `object`';
  const assertions = Array.isArray(c.assertions) ? c.assertions : [];
  if (assertions.length === 0) return 'the case has no assertions';
  const objects = (p: unknown): Obj[] | string => {
    if (typeof p !== 'string') return 'a file path must be a string';
    const abs = resolve(dir, p);
    const problem = unreadable(scope, abs, p);
    if (problem) return problem;
    const { resources, diagnostics } = readResources([abs], cwd);
    if (diagnostics.some((d) => d.code !== 'gatekeeper_resource' && d.severity === 'error'))
      return `${p}: ${diagnostics[0]!.message}`;
    if (resources.objects.length === 0) return `${p} holds no object`;
    return resources.objects.map((o) => o.value);
  };
  const reviewed = objects(c.object);
  if (typeof reviewed === 'string') return reviewed;
  if (reviewed.length !== 1) return `${c.object} holds ${reviewed.length} objects, want one`;
  const inventoryObjects: K8sObject[] = [];
  for (const p of Array.isArray(c.inventory) ? c.inventory : []) {
    const more = objects(p);
    if (typeof more === 'string') return more;
    inventoryObjects.push(...(more as unknown as K8sObject[]));
  }
  const violations = review(reviewed[0]!, test, inventoryObjects);
  if (typeof violations === 'string') return violations;
  for (const a of assertions) {
    const problem = assertion(a, violations);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The violations of the object (or of an AdmissionReview's request), or an error: reviewed as
 * gator reviews it, matched when the object or the old object matches the constraint.
 */
function review(object: Obj, test: PreparedTest, inventory: K8sObject[]): Violation[] | string {
  const points = test.constraint.enforcementPoints;
  if (points && !points.some((p) => p === GATOR_POINT || p === '*')) return [];
  let reviewed: SuiteReview;
  if (object.kind === 'AdmissionReview' && groupOf(object.apiVersion) === 'admission.k8s.io') {
    if (!isObj(object.request)) return 'the AdmissionReview has no request';
    const r = requestReview(object.request);
    if ('error' in r) return r.error;
    reviewed = r;
  } else {
    if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string')
      return 'the object has no apiVersion or kind';
    reviewed = objectReview({ ...object, apiVersion: object.apiVersion, kind: object.kind });
  }
  const ns = reviewed.namespace;
  const namespace = inventory.find((o) => o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata.name === ns);
  let matched = false;
  for (const subject of reviewed.subjects) {
    const m = matches(test.constraint.match, subject, namespace);
    // Gatekeeper autorejects what it cannot match: the error is the constraint's violation.
    if (typeof m === 'object') return [{ msg: `unable to match constraints: ${m.error}` }];
    matched ||= m;
  }
  if (!matched) return [];
  const judged = test.compiled.verify(test.constraint, reviewed.review, inventoryOf(inventory));
  return judged.ok ? judged.violations : `the template could not be evaluated: ${judged.error}`;
}

function assertion(a: unknown, violations: readonly Violation[]): string | undefined {
  if (!isObj(a)) return 'an assertion must be an object';
  // gator compiles `message` with Go's regexp: RE2 syntax (`(?i)`, `\z`, `[[:digit:]]`), not JavaScript's.
  let pattern: RE2JS | undefined;
  if (a.message !== undefined) {
    try {
      pattern = RE2JS.compile(String(a.message));
    } catch (e) {
      return `assertion message ${JSON.stringify(a.message)} is not a regular expression: ${(e as Error).message}`;
    }
  }
  const matching = violations.filter((v) => !pattern || pattern.test(v.msg)).length;
  const want = a.violations ?? 'yes';
  const about = pattern ? ` matching ${JSON.stringify(a.message)}` : '';
  const got = `got ${matching} violation(s)${about}`;
  const messages = violations.length > 0 ? `: ${violations.map((v) => JSON.stringify(v.msg)).join(', ')}` : '';
  if (typeof want === 'number' && Number.isInteger(want) && want >= 0)
    return matching === want ? undefined : `${got}, want exactly ${want}${messages}`;
  if (want === 'yes') return matching > 0 ? undefined : `${got}, want at least 1${messages}`;
  if (want === 'no') return matching === 0 ? undefined : `${got}, want none${messages}`;
  return `assertion violations must be a non-negative integer, "yes" or "no", not ${JSON.stringify(want)}`;
}
