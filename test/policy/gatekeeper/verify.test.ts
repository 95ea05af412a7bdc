// `mlspec policy verify`: Gatekeeper suites as `gator verify` runs them, ending with
// `N passed, N failed` over cases; the suites of gatekeeper/ pass and can fail.
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';
import { ROOT } from '../../render/helpers/examples.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function copy(): string {
  const t = tempDir('mlspec-verify-');
  cleanup = t.cleanup;
  cpSync(join(ROOT, 'gatekeeper'), join(t.dir, 'gatekeeper'), { recursive: true });
  return t.dir;
}

const edit = (file: string, change: (t: string) => string) => {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(file, after);
};

describe('mlspec policy verify', () => {
  it('runs the suites of gatekeeper/: every case passes', async () => {
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('32 passed, 0 failed\n');
    expect(run.code).toBe(0);
  });

  it('takes gator’s `PATH/...` for a folder and everything below it', async () => {
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/...'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('32 passed, 0 failed\n');
    const one = await runCli(['policy', 'verify', './gatekeeper/suites/k8sallowedrepos/...'], { cwd: ROOT });
    expect(one.stdout).toBe('5 passed, 0 failed\n');
  });

  it('a template that no longer flags what it should fails its cases, named, and the count says so', async () => {
    const dir = copy();
    edit(join(dir, 'gatekeeper/templates/k8sallowedrepos.yaml'), (t) =>
      t.replace('not allowed(container.image)', 'allowed(container.image)'),
    );
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8sallowedrepos'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'FAIL gatekeeper/suites/k8sallowedrepos/suite.yaml: allowed-repos / init-container-and-prefix-lookalike\n',
    );
    expect(run.stdout).toMatch(/\n1 passed, 4 failed\n$/);
  });

  it('assertions: a count, "yes"/"no" and a message regular expression', async () => {
    const dir = copy();
    edit(join(dir, 'gatekeeper/suites/k8scontainerlimits/suite.yaml'), (t) =>
      t
        .replace('- message: "has no cpu limit"', '- message: "has no gpu limit"')
        .replace(/within-the-maximum\n(.*\n){2}.*violations: no/, (m) =>
          m.replace('violations: no', 'violations: yes'),
        ),
    );
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8scontainerlimits', '-v'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('container-limits / within-the-maximum\n  got 0 violation(s), want at least 1\n');
    expect(run.stdout).toContain('got 0 violation(s) matching "has no gpu limit", want at least 1');
    expect(run.stdout).toContain(
      'PASS gatekeeper/suites/k8scontainerlimits/suite.yaml: container-limits / above-the-maximum',
    );
    expect(run.stdout).toMatch(/\n2 passed, 2 failed\n$/);
  });

  it('a template whose only code is CEL is reported unsupported, by name, and its cases fail', async () => {
    const dir = copy();
    const template = join(dir, 'gatekeeper/templates/k8sreplicalimits.yaml');
    const text = readFileSync(template, 'utf8');
    const cel = `${text.slice(0, text.indexOf('  targets:'))}  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "object.spec.replicas <= 5"
                message: "too many replicas"
`;
    writeFileSync(template, cel);
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8sreplicalimits'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'unsupported: ConstraintTemplate k8sreplicalimits has only CEL code (K8sNativeValidation)',
    );
    expect(run.stdout).toMatch(/\n0 passed, 5 failed\n$/);
  });

  it('a test marked invalid passes only when the constraint does not fit the template', async () => {
    const dir = copy();
    edit(join(dir, 'gatekeeper/suites/k8srequiredlabels/constraint-invalid.yaml'), (t) =>
      t.replace('labels: mlspec.io/team', 'labels: [{ key: mlspec.io/team }]'),
    );
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8srequiredlabels'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('parameters-must-fit-the-schema / invalid\n  the constraint is valid, want invalid');
  });

  it('a template without a `violation` rule is refused, not passed', async () => {
    const dir = copy();
    edit(join(dir, 'gatekeeper/templates/k8sreplicalimits.yaml'), (t) => t.replaceAll('violation[', 'violations['));
    const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8sreplicalimits'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ConstraintTemplate k8sreplicalimits: its Rego has no `violation` rule');
    expect(run.stdout).toMatch(/\n0 passed, 5 failed\n$/);
  });

  it('no suites is a failure, not a pass', async () => {
    const dir = copy();
    const run = await runCli(['policy', 'verify', 'gatekeeper/templates'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no Gatekeeper suites found');
  });

  describe('suites read only inside the repository, or under a path the caller gave', () => {
    const SECRET = 'c2VjcmV0LXRva2VuLTc3';
    let outside: ReturnType<typeof tempDir>;
    afterEach(() => outside.cleanup());
    /** A Secret manifest outside the repository, as a runner might have lying around. */
    const secretOutside = () => {
      outside = tempDir('mlspec-verify-outside-');
      const file = join(outside.dir, 'secret.yaml');
      writeFileSync(
        file,
        `apiVersion: v1\nkind: Secret\nmetadata: { name: ci, namespace: team-a }\ndata: { token: ${SECRET} }\n`,
      );
      return file;
    };

    it('an object, inventory or template path that leads out of the repository fails its case, unread', async () => {
      const dir = copy();
      const secret = secretOutside();
      const suiteDir = join(dir, 'gatekeeper/suites/k8srequiredlabels');
      edit(join(suiteDir, 'suite.yaml'), (t) =>
        t
          .replace('object: deployment-unlabelled.yaml', `object: ${relative(suiteDir, secret)}`)
          .replace(
            'object: deployment-labelled.yaml\n        inventory: [namespaces.yaml]',
            `object: deployment-labelled.yaml\n        inventory: [${secret}]`,
          ),
      );
      const run = await runCli(['policy', 'verify', 'gatekeeper/suites/k8srequiredlabels'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
      expect(run.stdout).toMatch(
        /FAIL .*required-labels \/ missing-labels\n {2}\.\.\/.*secret\.yaml leads outside the repository/,
      );
      expect(run.stdout).toMatch(
        /FAIL .*required-labels \/ all-labels\n {2}\/.*secret\.yaml leads outside the repository/,
      );
    });

    it('a suite reached through a link that leads out of the repository is refused', async () => {
      const dir = copy();
      const secret = secretOutside();
      mkdirSync(join(outside.dir, 'suites'));
      writeFileSync(
        join(outside.dir, 'suites/suite.yaml'),
        'kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests: []\n',
      );
      symlinkSync(join(outside.dir, 'suites'), join(dir, 'gatekeeper/suites/elsewhere'));
      const run = await runCli(['policy', 'verify', 'gatekeeper/suites'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/elsewhere\/suite\.yaml leads outside the repository/);
      expect(secret).toBeTruthy();
    });

    it('a folder the caller names outside the repository is read, with what lies under it', async () => {
      const dir = copy();
      secretOutside();
      cpSync(join(dir, 'gatekeeper'), join(outside.dir, 'gatekeeper'), { recursive: true });
      const run = await runCli(['policy', 'verify', join(outside.dir, 'gatekeeper/suites')], { cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('32 passed, 0 failed\n');
    });
  });
});
