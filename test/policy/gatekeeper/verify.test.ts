// `mlspec policy verify`: Gatekeeper suites as `gator verify` runs them, ending with
// `N passed, N failed` over cases; the suites of gatekeeper/ pass and can fail.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    expect(run.stdout).toBe('28 passed, 0 failed\n');
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
});
