// One case per class of broken input: each breaks the minimal valid fixture in one way and
// expects exactly where and how the CLI reports it (exit 1, file:line:column, a hint).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { positionOf, runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/minimal');
const SYSTEM = readFileSync(join(FIXTURES, 'system.yaml'), 'utf8');
const PLATFORM = readFileSync(join(FIXTURES, 'platform.yaml'), 'utf8');

interface Case {
  readonly name: string;
  /** [from, to] text replacements applied to system.yaml. */
  readonly edit?: readonly (readonly [string, string])[];
  readonly editPlatform?: readonly (readonly [string, string])[];
  /** Whole files to write instead of / besides the fixture; '' leaves the file out. */
  readonly files?: Readonly<Record<string, string>>;
  readonly code: string;
  /** Where the error points: a needle in the edited file (first occurrence after `after`). */
  readonly at?: { readonly file?: string; readonly needle: string; readonly after?: string };
  readonly message?: RegExp;
  readonly hint?: RegExp;
  readonly args?: readonly string[];
  /** The only diagnostic: no follow-on errors from the same mistake. */
  readonly only?: boolean;
}

function apply(text: string, edits: readonly (readonly [string, string])[] = []): string {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture edit target not found: ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

const cases: Case[] = [
  {
    name: 'YAML syntax',
    edit: [['  views:\n', '  views: [\n']],
    code: 'yaml_syntax',
    at: { needle: 'entities: [user]' },
    hint: /inline/,
  },
  {
    name: 'duplicate key',
    edit: [['  costCenter: CC-1\n', '  costCenter: CC-1\n  costCenter: CC-2\n']],
    code: 'duplicate_key',
    at: { needle: 'costCenter: CC-1' },
    message: /^key `costCenter` is repeated at line \d+$/,
  },
  {
    name: 'duplicate key after YAML 1.2 key normalisation',
    edit: [['  costCenter: CC-1\n', '  costCenter: CC-1\n  "costCenter": CC-2\n']],
    code: 'duplicate_key',
    at: { needle: 'costCenter: CC-1' },
    message: /^key `costCenter` is repeated at line \d+ \(both read as one string\)$/,
  },
  {
    name: 'non-string key',
    edit: [['  costCenter: CC-1\n', '  ? [a, b]\n  : 1\n  costCenter: CC-1\n']],
    code: 'invalid_key',
    at: { needle: '[a, b]' },
  },
  { name: 'non-finite number', edit: [['target: 70', 'target: .inf']], code: 'invalid_value', at: { needle: '.inf' } },
  { name: 'alias bomb', files: { 'system.yaml': aliasBomb() }, code: 'too_large', hint: /[Aa]liases/ },
  {
    name: 'document is not a map',
    files: { 'system.yaml': '- just\n- a list\n' },
    code: 'not_a_spec',
    at: { needle: '- just' },
  },
  { name: 'missing kind', edit: [['kind: MLSystem\n', '']], code: 'missing_key', message: /`kind`/ },
  {
    name: 'unknown kind',
    edit: [['kind: MLSystem', 'kind: MLSytem']],
    code: 'unknown_kind',
    at: { needle: 'MLSytem' },
    hint: /did you mean `MLSystem`/,
  },
  {
    name: 'unsupported apiVersion',
    edit: [['apiVersion: mlspec.io/v1alpha1', 'apiVersion: mlspec.io/v9']],
    code: 'unsupported_api_version',
    at: { needle: 'mlspec.io/v9' },
  },
  {
    name: 'unknown key with suggestion',
    edit: [
      [
        '      replicas: { min: 1, max: 2 }\n      autoscaling: { metric: cpu',
        '      replcas: { min: 1, max: 2 }\n      autoscaling: { metric: cpu',
      ],
    ],
    code: 'unknown_key',
    at: { needle: 'replcas' },
    hint: /did you mean `replicas`/,
  },
  {
    name: 'missing required key',
    edit: [['  costCenter: CC-1\n', '']],
    code: 'missing_key',
    at: { needle: 'metadata:' },
    message: /`costCenter`/,
  },
  {
    name: 'wrong type',
    edit: [['processed: false', 'processed: "no"']],
    code: 'wrong_type',
    at: { needle: '"no"' },
    message: /true or false/,
  },
  {
    name: 'value not in enum',
    edit: [['dataClassification: internal', 'dataClassification: secret']],
    code: 'invalid_value',
    at: { needle: 'secret' },
    hint: /allowed: public, internal, confidential, restricted/,
  },
  {
    name: 'bad format',
    edit: [['ttl: 24h', 'ttl: one day']],
    code: 'invalid_format',
    at: { needle: 'one day' },
    hint: /duration/,
  },
  {
    name: 'invalid name',
    edit: [['    cpu:\n      replicas', '    CPU_Tier:\n      replicas']],
    code: 'invalid_name',
    at: { needle: 'CPU_Tier' },
    hint: /lowercase/,
  },
  { name: 'out of range', edit: [['target: 70', 'target: -5']], code: 'out_of_range', at: { needle: '-5' } },
  {
    name: 'duplicate list item',
    edit: [['owners: [risk@test.example]', 'owners: [risk@test.example, risk@test.example]']],
    code: 'duplicate_item',
    at: { needle: 'risk@test.example', after: 'owners: [risk@test.example,' },
  },
  {
    name: 'exactly one of',
    edit: [['clicks: { numeric: { edges: [1, 5], counts: [10, 10, 10] } }', 'clicks: {}']],
    code: 'invalid_value',
    at: { needle: 'clicks: {}' },
    message: /exactly one of `numeric`, `categorical`/,
  },
  {
    name: 'conditional requirement',
    edit: [['    processed: false', '    processed: true']],
    code: 'missing_key',
    message: /`lawfulBasis`/,
  },
  {
    name: 'Kafka stream without brokers',
    edit: [
      ['      ttl: 24h\n', '      streamSource: { type: kafka, topic: clicks, timestampField: ts }\n      ttl: 24h\n'],
    ],
    code: 'missing_key',
    at: { needle: 'streamSource' },
    message: /`bootstrapServers`/,
  },
  {
    name: 'schedule that is not a cron expression',
    edit: [['      freshness: 2h\n', '      freshness: 2h\n      materializeSchedule: every hour\n']],
    code: 'invalid_format',
    at: { needle: 'every hour' },
    hint: /five-field cron expression/,
  },
  {
    name: 'cron field out of range',
    edit: [['      freshness: 2h\n', '      freshness: 2h\n      materializeSchedule: "99 99 99 99 99"\n']],
    code: 'invalid_schedule',
    at: { needle: '"99 99 99 99 99"' },
    message: /^`99 99 99 99 99` is not a cron schedule: minute `99`: `99` is out of range 0-59$/,
    hint: /minute \(0-59\)/,
    only: true,
  },
  {
    name: 'cron month out of range in an environment override',
    edit: [
      [
        '    cluster: gpu\n',
        '    cluster: gpu\n    overrides: { training: { triggers: { schedule: "0 3 * 13 *" } } }\n',
      ],
    ],
    code: 'invalid_schedule',
    at: { needle: '"0 3 * 13 *"' },
    message: /month `13`: `13` is out of range 1-12/,
  },
  {
    name: 'unknown feature in service',
    edit: [['"activity:spend"]', '"activity:spnd"]']],
    code: 'unknown_reference',
    at: { needle: '"activity:spnd"' },
    hint: /did you mean `spend`/,
  },
  {
    name: 'unknown entity',
    edit: [['entities: [user]', 'entities: [usr]']],
    code: 'unknown_reference',
    at: { needle: 'usr' },
    hint: /did you mean `user`/,
  },
  {
    name: 'model input nobody provides',
    edit: [['features: [clicks, spend, amount]', 'features: [clicks, spend, amunt]']],
    code: 'unknown_reference',
    at: { needle: 'amunt' },
    hint: /did you mean `amount`/,
  },
  {
    name: 'unknown feature service',
    edit: [['featureService: scoring', 'featureService: scorin']],
    code: 'unknown_reference',
    at: { needle: 'scorin', after: 'featureService' },
  },
  {
    name: 'ambiguous input',
    edit: [
      [
        '  requestFeatures:\n    amount: { dtype: float32 }',
        '  requestFeatures:\n    amount: { dtype: float32 }\n    clicks: { dtype: int64 }',
      ],
    ],
    code: 'ambiguous_reference',
    at: { needle: 'clicks', after: 'shape: [-1, 3], features: [' },
  },
  {
    name: 'shape mismatch',
    edit: [['shape: [-1, 3]', 'shape: [-1, 4]']],
    code: 'shape_mismatch',
    at: { needle: '[-1, 4]' },
  },
  {
    name: 'dtype mismatch',
    edit: [['{ name: x, dtype: FP32', '{ name: x, dtype: BOOL']],
    code: 'type_mismatch',
    at: { needle: 'clicks', after: 'dtype: BOOL' },
  },
  {
    name: 'bad baseline',
    edit: [['counts: [10, 10, 10]', 'counts: [10, 10]']],
    code: 'invalid_baseline',
    at: { needle: '[10, 10]' },
  },
  {
    name: 'baseline for a non-input',
    edit: [['      clicks: { numeric', '      clics: { numeric']],
    code: 'unknown_reference',
    at: { needle: 'clics' },
    hint: /did you mean `clicks`/,
  },
  {
    name: 'personal data not declared',
    edit: [['spend: { dtype: float32 }', 'spend: { dtype: float32, personalData: true }']],
    code: 'compliance_conflict',
    at: { needle: 'true', after: 'spend: { dtype: float32, personalData:' },
  },
  {
    name: 'replica range',
    edit: [
      [
        '      replicas: { min: 1, max: 2 }\n      autoscaling: { metric: cpu',
        '      replicas: { min: 3, max: 2 }\n      autoscaling: { metric: cpu',
      ],
    ],
    code: 'invalid_range',
    at: { needle: '{ min: 3' },
  },
  {
    name: 'canary of the same version',
    edit: [['    version: 1.0.0', '    version: 2.0.0']],
    code: 'invalid_rollout',
    at: { needle: '2.0.0', after: 'stable:' },
  },
  {
    name: 'unknown team',
    edit: [['  team: risk', '  team: rsk']],
    code: 'unknown_team',
    at: { needle: 'rsk' },
    hint: /did you mean `risk`/,
  },
  {
    name: 'unknown cluster profile',
    edit: [['    cluster: gpu', '    cluster: gpus']],
    code: 'unknown_cluster',
    at: { needle: 'gpus' },
    hint: /did you mean `gpu`/,
  },
  {
    name: 'unknown accelerator',
    edit: [
      ['accelerator: { type: t4, count: 1 } }\n    validate', 'accelerator: { type: t5, count: 1 } }\n    validate'],
    ],
    code: 'unknown_accelerator',
    at: { needle: 't5' },
    hint: /did you mean `t4`/,
  },
  {
    name: 'unknown MIG profile',
    edit: [
      [
        'accelerator: { type: t4, count: 1 } }\n      latencySlo',
        'accelerator: { type: t4, count: 1, mig: 2g.10gb } }\n      latencySlo',
      ],
    ],
    code: 'unknown_accelerator',
    at: { needle: '2g.10gb' },
    hint: /1g\.5gb/,
  },
  {
    name: 'image not pinned',
    edit: [
      [
        'registry.test/ml/prep:1@sha256:5555555555555555555555555555555555555555555555555555555555555555',
        'registry.test/ml/prep:1',
      ],
    ],
    code: 'unpinned_image',
    at: { needle: 'registry.test/ml/prep:1' },
  },
  {
    name: 'GPU quota',
    edit: [
      [
        '      replicas: { min: 1, max: 2 }\n      autoscaling: { metric: requestsPerSecond',
        '      replicas: { min: 1, max: 9 }\n      autoscaling: { metric: requestsPerSecond',
      ],
    ],
    code: 'gpu_quota_exceeded',
    at: { needle: 'risk', after: 'team:' },
  },
  {
    name: 'duplicate system',
    files: { 'again.yaml': SYSTEM },
    code: 'duplicate_system',
    at: { file: 'system.yaml', needle: 'scorer' },
    message: /already defined at .*again\.yaml:5:9/,
    only: true,
  },
  {
    name: 'override renames the system',
    edit: [['    cluster: gpu', '    cluster: gpu\n    overrides: { metadata: { name: other } }']],
    code: 'invalid_override',
    at: { needle: 'other' },
  },
  { name: 'unknown environment', args: ['--env', 'prd'], code: 'unknown_environment', hint: /did you mean `prod`/ },
  { name: 'no platform', files: { 'platform.yaml': '' }, code: 'no_platform' },
  {
    name: 'second platform',
    files: { 'platform2.yaml': PLATFORM.replace('name: test-platform', 'name: other') },
    code: 'duplicate_platform',
    at: { file: 'platform2.yaml', needle: 'Platform' },
  },
  {
    name: 'JSON syntax',
    files: { 'system.yaml': '', 'broken.json': '{\n  "apiVersion": "mlspec.io/v1alpha1",\n  "kind": "MLSystem",\n}\n' },
    code: 'json_syntax',
    at: { file: 'broken.json', needle: '}' },
  },
  {
    name: 'Jsonnet error',
    files: { 'system.yaml': '', 'broken.jsonnet': 'local x = 1;\n{\n  a: x +,\n}\n' },
    code: 'jsonnet_error',
    at: { file: 'broken.jsonnet', needle: ',', after: 'x +' },
  },
];

function aliasBomb(): string {
  let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
  let prev = 'a';
  for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) {
    text += `${n}: &${n} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    prev = n;
  }
  return text;
}

describe('every class of broken input is reported with location and hint, exit 1', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const files: Record<string, string> = {
          'system.yaml': apply(SYSTEM, c.edit),
          'platform.yaml': apply(PLATFORM, c.editPlatform),
          ...c.files,
        };
        for (const [name, text] of Object.entries(files)) if (text !== '') writeFileSync(join(dir, name), text);
        const run = await runCli(['validate', '.', ...(c.args ?? [])], { cwd: dir });
        // A flag naming an environment nobody defines is the invocation's fault (2).
        expect(run.code).toBe(c.code === 'unknown_environment' ? 2 : 1);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        const json = await runCli(['validate', '.', '--format', 'json', ...(c.args ?? [])], { cwd: dir });
        const diagnostics = JSON.parse(json.stdout).diagnostics as {
          code: string;
          file?: string;
          line?: number;
          column?: number;
          message: string;
          hint?: string;
        }[];
        const found = diagnostics.filter((d) => d.code === c.code);
        expect(
          found.map((d) => d.code),
          JSON.stringify(diagnostics, null, 2),
        ).toContain(c.code);
        const d = found[0]!;
        expect(d.hint, 'every error says what to do').toBeTruthy();
        if (c.at) {
          const file = c.at.file ?? 'system.yaml';
          const pos = positionOf(files[file]!, c.at.needle, c.at.after);
          expect({ file: d.file, line: d.line, column: d.column }).toEqual({ file, ...pos });
          expect(run.stderr).toContain(`${file}:${pos.line}:${pos.column}: error[${c.code}]`);
        }
        if (c.only) expect(diagnostics.map((x) => x.code)).toEqual([c.code]);
        if (c.message) expect(d.message).toMatch(c.message);
        if (c.hint) expect(d.hint).toMatch(c.hint);
        expect(run.stderr).toMatch(/\n {2}hint: /);
      } finally {
        cleanup();
      }
    });
  }
});
