// What a template sees and how its outcome counts when `mlspec policy verify` runs a suite, as
// `gator verify` does: `input.review` is Go's AdmissionRequest (a plain object is reviewed
// without an operation or user, an AdmissionReview with its defaults filled in), a failing
// builtin is undefined, and an evaluation error is a violation carrying the error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

interface Case {
  readonly name: string;
  readonly object: string;
  readonly inventory?: string;
  /** YAML of the case's assertions list items. */
  readonly assertions: string;
}

/** A suite folder with one template (its Rego given), one constraint and the cases' objects. */
function suite(rego: string, match: string, cases: Case[], spec = '', targets?: string): string {
  const t = tempDir('mlspec-verify-review-');
  cleanup = t.cleanup;
  const dir = join(t.dir, 'suite');
  mkdirSync(dir);
  const indented = rego
    .trim()
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  writeFileSync(
    join(dir, 'template.yaml'),
    `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: probe
spec:
  crd:
    spec:
      names:
        kind: Probe
  targets:
${
  targets ??
  `    - target: admission.k8s.gatekeeper.sh
      rego: |
${indented}`
}
`,
  );
  writeFileSync(
    join(dir, 'constraint.yaml'),
    `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: Probe
metadata:
  name: probe
spec:
${spec}  match:
${match}
`,
  );
  const lines = ['kind: Suite', 'apiVersion: test.gatekeeper.sh/v1alpha1', 'tests:', '- name: probe'];
  lines.push('  template: template.yaml', '  constraint: constraint.yaml', '  cases:');
  for (const [i, c] of cases.entries()) {
    writeFileSync(join(dir, `object-${i}.yaml`), c.object);
    lines.push(`  - name: ${c.name}`, `    object: object-${i}.yaml`);
    if (c.inventory) {
      writeFileSync(join(dir, `inventory-${i}.yaml`), c.inventory);
      lines.push('    inventory:', `    - inventory-${i}.yaml`);
    }
    lines.push(
      '    assertions:',
      ...c.assertions
        .trim()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  writeFileSync(join(dir, 'suite.yaml'), `${lines.join('\n')}\n`);
  return t.dir;
}

const verify = (dir: string) => runCli(['policy', 'verify', 'suite'], { cwd: dir });

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: trainer
  namespace: team-a
  labels:
    tier: batch
spec:
  containers:
  - name: main
    image: registry.example/trainer:1
`;

const review = (request: string) => `apiVersion: admission.k8s.io/v1
kind: AdmissionReview
request:
${request
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

/** YAML indented one level, to nest under a key. */
const nest = (yaml: string) =>
  yaml
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

const podIn = (labels: string) => `apiVersion: v1
kind: Pod
metadata:
  name: trainer
  namespace: team-a
  labels: {${labels}}
`;

describe('policy verify reviews objects as gator does', () => {
  it('a plain object is reviewed with no operation, no user and a null oldObject', async () => {
    const dir = suite(
      `package probe
got(field) := object.get(input.review, field, "absent")
violation[{"msg": "operation"}] { got("operation") != "" }
violation[{"msg": "user"}] { got("userInfo") != {} }
violation[{"msg": "old object"}] { got("oldObject") != null }
violation[{"msg": "uid"}] { got("uid") != "" }
violation[{"msg": "kind"}] { got("kind") != {"group": "", "version": "v1", "kind": "Pod"} }
violation[{"msg": "name"}] { got("name") != "trainer" }
violation[{"msg": "namespace"}] { not input.review.namespace == "team-a" }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [{ name: 'plain-pod', object: POD, assertions: '- violations: no' }],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('1 passed, 0 failed\n');
  });

  it('an AdmissionReview’s request has the fields Go’s AdmissionRequest gives it, defaults filled in', async () => {
    const dir = suite(
      `package probe
got(field) := object.get(input.review, field, "absent")
violation[{"msg": "user"}] { got("userInfo") != {} }
violation[{"msg": "uid"}] { got("uid") != "" }
violation[{"msg": "kind"}] { got("kind") != {"group": "", "version": "", "kind": ""} }
violation[{"msg": "old object"}] { got("oldObject") != null }
violation[{"msg": "update"}] { input.review.operation == "UPDATE" }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [
        {
          name: 'bare-update',
          object: review(`operation: UPDATE\nobject:\n${nest(POD)}`),
          assertions: '- violations: 1\n- violations: 1\n  message: update',
        },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('1 passed, 0 failed\n');
  });

  it('a request matches when its object or its oldObject does', async () => {
    const dir = suite(
      `package probe
violation[{"msg": "seen"}] { true }`,
      '    labelSelector: { matchLabels: { tier: batch } }',
      [
        {
          name: 'label-removed',
          object: review(`operation: UPDATE\nobject:\n${nest(podIn(''))}\noldObject:\n${nest(podIn('tier: batch'))}`),
          assertions: '- violations: yes',
        },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('1 passed, 0 failed\n');
  });

  it('only a DELETE is reviewed as its oldObject; another request without an object has a null one', async () => {
    const dir = suite(
      `package probe
violation[{"msg": "object"}] { input.review.object.metadata.name == "trainer" }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [
        {
          name: 'delete',
          object: review(`operation: DELETE\noldObject:\n${nest(podIn(''))}`),
          assertions: '- violations: 1',
        },
        {
          name: 'update-without-object',
          object: review(`operation: UPDATE\noldObject:\n${nest(podIn(''))}`),
          assertions: '- violations: 0',
        },
        {
          name: 'delete-without-old-object',
          object: review(`operation: DELETE\nobject:\n${nest(podIn(''))}`),
          assertions: '- violations: 0',
        },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toContain('FAIL suite/suite.yaml: probe / delete-without-old-object\n  ');
    expect(run.stdout).toContain('oldObject');
    expect(run.stdout).toMatch(/\n2 passed, 1 failed\n$/);
  });

  it('a builtin that fails is undefined, as OPA evaluates Gatekeeper’s templates, not a failed case', async () => {
    const dir = suite(
      `package probe
violation[{"msg": "too big"}] { to_number(input.review.object.metadata.labels.tier) > 3 }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [{ name: 'not-a-number', object: POD, assertions: '- violations: no' }],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('1 passed, 0 failed\n');
  });

  it('an evaluation error is a violation whose message is the error, as Gatekeeper reports it', async () => {
    const dir = suite(
      `package probe
size = 1 { input.review.object }
size = 2 { input.review.object }
violation[{"msg": "never reached"}] { size > 5 }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [
        { name: 'conflict-denies', object: POD, assertions: '- violations: 1\n  message: eval_conflict_error' },
        { name: 'conflict-is-not-a-pass', object: POD, assertions: '- violations: no' },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toContain('FAIL suite/suite.yaml: probe / conflict-is-not-a-pass\n');
    expect(run.stdout).toMatch(/\n1 passed, 1 failed\n$/);
  });

  it('an assertion’s message is a Go regular expression, as gator compiles it', async () => {
    const dir = suite(
      `package probe
violation[{"msg": "Container main has no limits"}] { true }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [
        { name: 'case-insensitive-flag', object: POD, assertions: '- violations: 1\n  message: (?i)container MAIN' },
        { name: 'text-anchors', object: POD, assertions: '- violations: 1\n  message: \\AContainer.*limits\\z' },
        { name: 'posix-class', object: POD, assertions: '- violations: 0\n  message: "[[:digit:]]"' },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('3 passed, 0 failed\n');
  });

  it('a constraint that cannot be matched (Namespace unknown) is a violation: Gatekeeper autorejects', async () => {
    const dir = suite(
      `package probe
violation[{"msg": "never reached"}] { false }`,
      '    namespaceSelector: { matchLabels: { team: a } }',
      [
        { name: 'namespace-unknown', object: POD, assertions: '- violations: 1\n  message: unable to match' },
        {
          name: 'namespace-known',
          object: POD,
          inventory: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: { team: a }\n',
          assertions: '- violations: 0',
        },
      ],
    );
    const run = await verify(dir);
    expect(run.stdout).toBe('2 passed, 0 failed\n');
  });

  it('a scoped constraint runs only when its enforcement points include gator’s (or *)', async () => {
    const scoped = (point: string) =>
      '  enforcementAction: scoped\n  scopedEnforcementActions:\n' +
      `  - action: warn\n    enforcementPoints:\n    - name: ${point}\n`;
    const rego = `package probe
violation[{"msg": "always"}] { true }`;
    const kinds = '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]';
    const webhookOnly = suite(
      rego,
      kinds,
      [{ name: 'c', object: POD, assertions: '- violations: 0' }],
      scoped('validation.gatekeeper.sh'),
    );
    expect((await verify(webhookOnly)).stdout).toBe('1 passed, 0 failed\n');
    const gator = suite(
      rego,
      kinds,
      [{ name: 'c', object: POD, assertions: '- violations: 1' }],
      scoped('gator.gatekeeper.sh'),
    );
    expect((await verify(gator)).stdout).toBe('1 passed, 0 failed\n');
    const all = suite(rego, kinds, [{ name: 'c', object: POD, assertions: '- violations: 1' }], scoped('"*"'));
    expect((await verify(all)).stdout).toBe('1 passed, 0 failed\n');
  });

  it('a template with CEL and Rego code runs its Rego, whichever way the Rego is given', async () => {
    const cel = `        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "false"
                message: "from CEL"`;
    const rego = (indent: string) =>
      ['package probe', 'violation[{"msg": "from Rego"}] { input.review.object.metadata.name == "trainer" }']
        .map((l) => indent + l)
        .join('\n');
    const kinds = '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]';
    const cases = [{ name: 'rego-decides', object: POD, assertions: '- violations: 1\n  message: ^from Rego$' }];
    const inCode = `    - target: admission.k8s.gatekeeper.sh
      code:
${cel}
        - engine: Rego
          source:
            rego: |
${rego('              ')}`;
    expect((await verify(suite('', kinds, cases, '', inCode))).stdout).toBe('1 passed, 0 failed\n');
    const legacy = `    - target: admission.k8s.gatekeeper.sh
      code:
${cel}
      rego: |
${rego('        ')}`;
    expect((await verify(suite('', kinds, cases, '', legacy))).stdout).toBe('1 passed, 0 failed\n');
  });

  it('reviews the object as written: nothing is added to it (a missing name stays missing)', async () => {
    const generated = 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: trainer-\n  namespace: team-a\n';
    const dir = suite(
      `package probe
violation[{"msg": "name added"}] { _ = input.review.object.metadata.name }
violation[{"msg": "review name"}] { _ = input.review.name }`,
      '    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]',
      [
        { name: 'plain', object: generated, assertions: '- violations: 0' },
        {
          name: 'deleted',
          object: review(`operation: DELETE\noldObject:\n${nest(generated)}`),
          assertions: '- violations: 0',
        },
      ],
    );
    expect((await verify(dir)).stdout).toBe('2 passed, 0 failed\n');
  });
});
