// The YAML writer: whatever JSON goes in is read back identically by a YAML 1.1 reader (what
// Kubernetes tooling uses) and a YAML 1.2 reader, and strings that YAML 1.1 would turn into
// booleans, numbers or dates are quoted.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { toYaml } from '../../compiler/render/base/yaml.js';

function roundTrips(value: unknown): void {
  const text = toYaml(value);
  for (const version of ['1.1', '1.2'] as const)
    expect(parse(text, { version }), `${version}:\n${text}`).toEqual(value);
}

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme-composite' }),
    fc.constantFrom(
      'on',
      'Off',
      'yes',
      'n',
      '~',
      'null',
      '0755',
      '0x1F',
      '1:30',
      '1e3',
      'e0',
      'E5',
      '.5',
      '-1',
      '3.2.0',
      '2026-11-01',
      '--config',
      '- x',
      'a: b',
      'a #b',
      '#x',
      '*a',
      '&a',
      '!t',
      '"q"',
      "'q'",
      '[x]',
      '{x}',
      'a,b',
      'line\nline',
      'line\n',
      '\n',
      ' lead',
      'trail ',
      '\t',
      'x\u2028y',
      '\u0085',
    ),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('on', 'n', '4829', 'a: b', '-', '? x')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

describe('toYaml', () => {
  it('round-trips any JSON value through YAML 1.1 and 1.2 readers', () => {
    fc.assert(
      fc.property(json, (v) => roundTrips(v)),
      { numRuns: 2000 },
    );
  });

  it('quotes what YAML 1.1 would not read as a string, and nothing else', () => {
    expect(toYaml({ a: 'on', b: 'yes', c: '0755', d: '2026-11-01', e: '1:30', f: '3.2.0', g: 'n', h: 'e0' })).toBe(
      'a: "on"\nb: "yes"\nc: "0755"\nd: "2026-11-01"\ne: "1:30"\nf: "3.2.0"\ng: "n"\nh: "e0"\n',
    );
    expect(
      toYaml({
        image: 'registry.acme.io/x:1.0@sha256:ab',
        cpu: '250m',
        args: ['--config', '/etc/x.yaml'],
        ratio: 1.5,
        t: true,
        z: null,
      }),
    ).toBe(
      'image: registry.acme.io/x:1.0@sha256:ab\ncpu: 250m\nargs: [--config, /etc/x.yaml]\nratio: 1.5\nt: ' +
        'true\nz: null\n',
    );
  });

  it('writes multi-line text as literal blocks and long lists one item per line', () => {
    expect(toYaml({ data: { 'c.yaml': 'a: 1\nb: 2\n' } })).toBe('data:\n  c.yaml: |\n    a: 1\n    b: 2\n');
    const files = Array.from({ length: 8 }, (_, i) => `deployment-card-fraud-tier-${i}.yaml`);
    expect(toYaml({ resources: files })).toBe(`resources:\n${files.map((f) => `  - ${f}\n`).join('')}`);
    expect(toYaml({ list: [{ a: 1, b: { c: [] } }, {}] })).toBe('list:\n  - a: 1\n    b:\n      c: []\n  - {}\n');
  });
});
