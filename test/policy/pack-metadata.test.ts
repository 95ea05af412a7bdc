// Every policy of the pack carries the METADATA the review reports with each finding (title,
// description, severity, controls, remediation), parsed the way the engine parses it; helpers
// carry none and report nothing.
import { describe, expect, it } from 'vitest';
import type { Module } from '../../compiler/rego/ast/nodes.js';
import { annotationsValue } from '../../compiler/rego/compile/metadata.js';
import type { RegoError } from '../../compiler/rego/errors.js';
import { toJS } from '../../compiler/rego/engine.js';
import { pack } from './pack-helpers.js';

const POLICIES = [
  'data_residency',
  'encryption',
  'least_privilege',
  'lineage',
  'monitoring',
  'network_isolation',
  'ownership',
  'personal_data',
  'pod_security',
  'resources',
  'safe_rollout',
  'secure_images',
];

const SEVERITIES = ['info', 'warn', 'deny'];

/** Real article and control numbers: ISO/IEC 27001:2022 Annex A, GDPR, UAE PDPL (Decree-Law 45/2021). */
function realControl(control: string): boolean {
  const iso = /^ISO27001:A\.([5-8])\.(\d+)$/.exec(control);
  if (iso)
    return Number(iso[2]) >= 1 && Number(iso[2]) <= { 5: 37, 6: 8, 7: 14, 8: 34 }[iso[1] as '5' | '6' | '7' | '8'];
  const article = /^(GDPR|UAE-PDPL):Art\.(\d+)$/.exec(control);
  if (article) return Number(article[2]) >= 1 && Number(article[2]) <= (article[1] === 'GDPR' ? 99 : 31);
  return false;
}

function modules(): Module[] {
  return pack().engine.policy.modules.filter((m) => m.pkg[0] === 'mlspec' && !m.pkg.at(-1)!.endsWith('_test'));
}

const reports = (m: Module) =>
  new Set(
    m.rules.map((r) => r.ref[0]).flatMap((t) => (t?.type === 'var' && SEVERITIES.includes(t.name) ? [t.name] : [])),
  );

describe('policy metadata', () => {
  it('the pack has one module per policy, besides the helpers in lib/', () => {
    const names = modules()
      .filter((m) => m.pkg[1] !== 'lib')
      .map((m) => m.pkg.slice(1).join('.'));
    expect(names.sort()).toEqual(POLICIES);
  });

  for (const name of POLICIES) {
    it(`${name} declares title, description, severity, controls and remediation`, () => {
      const m = modules().find((x) => x.pkg.join('.') === `mlspec.${name}`)!;
      expect(m.annotations, 'a # METADATA block before the package').toBeDefined();
      const errors: RegoError[] = [];
      const parsed = toJS(annotationsValue(m.annotations!, 'package', errors, m.pkgLoc)!) as Record<string, any>;
      expect(errors).toEqual([]);
      expect(parsed.scope).toBe('package');
      expect(parsed.title).toMatch(/\S/);
      expect(parsed.description.trim().length).toBeGreaterThan(40);
      expect(parsed.custom.remediation.trim().length).toBeGreaterThan(40);
      expect(parsed.custom.controls.length).toBeGreaterThan(0);
      for (const control of parsed.custom.controls) expect(realControl(control), control).toBe(true);
      const worst = [...reports(m)].sort((a, b) => SEVERITIES.indexOf(b) - SEVERITIES.indexOf(a))[0];
      expect(parsed.custom.severity, 'the most severe it reports').toBe(worst);
    });
  }

  it('helpers carry no policy metadata and report nothing', () => {
    const helpers = modules().filter((m) => m.pkg[1] === 'lib');
    expect(helpers.map((m) => m.pkg.join('.')).sort()).toEqual([
      'mlspec.lib.params',
      'mlspec.lib.units',
      'mlspec.lib.workloads',
    ]);
    for (const m of helpers) {
      expect(m.annotations).toBeUndefined();
      expect(reports(m)).toEqual(new Set());
    }
  });

  it('control numbers outside the published ranges are refused', () => {
    expect(['ISO27001:A.8.34', 'ISO27001:A.5.1', 'GDPR:Art.32', 'UAE-PDPL:Art.22'].every(realControl)).toBe(true);
    expect(
      ['ISO27001:A.8.35', 'ISO27001:A.9.1', 'ISO27001:A.12.4.1', 'GDPR:Art.100', 'UAE-PDPL:Art.32'].some(realControl),
    ).toBe(false);
  });
});
