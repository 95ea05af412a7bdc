// Property: no input, however broken, crashes mlspec. Every run ends in diagnostics (never an
// exception), and every diagnostic about a file says where in it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { analyze } from '../../compiler/pipeline/pipeline.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/minimal');
const SYSTEM = readFileSync(join(FIXTURES, 'system.yaml'), 'utf8');
const PLATFORM = readFileSync(join(FIXTURES, 'platform.yaml'), 'utf8');
const SYSTEM_VALUE = parse(SYSTEM) as unknown;

/** Diagnostics that are about the run rather than a place in a file. */
const UNLOCATED = new Set(['no_platform', 'unknown_environment', 'not_found', 'no_input']);

const { dir, cleanup } = tempDir('mlspec-fuzz-');
writeFileSync(join(dir, 'platform.yaml'), PLATFORM);

async function check(name: string, content: string | Uint8Array): Promise<void> {
  const file = join(dir, name);
  writeFileSync(file, content);
  try {
    const analysis = await analyze(['.'], { cwd: dir });
    for (const d of analysis.diagnostics) {
      if (UNLOCATED.has(d.code)) continue;
      expect(d.location, JSON.stringify(d)).toBeDefined();
      expect(d.location!.line).toBeGreaterThanOrEqual(1);
      expect(d.location!.column).toBeGreaterThanOrEqual(1);
      expect(d.hint, JSON.stringify(d)).toBeTruthy();
    }
  } finally {
    rmSync(file, { force: true });
  }
}

/** Text edits a person (or a bad merge) makes: cut, paste, retype, re-indent. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        ':',
        '- ',
        '{',
        '[',
        '&a ',
        '*a',
        '"',
        "'",
        '\t',
        '\n  ',
        '!!binary ',
        '? ',
        '---\n',
        '%YAML 1.1\n',
        'null',
        '~',
        '1e999',
        '-.inf',
        '0x1F',
      ),
    ),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
);

interface TextEdit {
  readonly kind: 'delete' | 'insert' | 'duplicate';
  readonly at: number;
  readonly len?: number;
  readonly text?: string;
}

function applyText(text: string, edits: readonly TextEdit[]): string {
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + (e.len ?? 1));
    else if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
    else text = text.slice(0, at) + text.slice(at, at + (e.len ?? 1)) + text.slice(at);
  }
  return text;
}

/** Replace one node of the parsed spec (chosen by a path of indices) with an arbitrary JSON value. */
function replaceNode(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const k = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : { ...(value as object) };
  copy[k] = replaceNode((value as Record<string, unknown>)[k], path.slice(1), replacement);
  return copy;
}

describe('fuzz: broken inputs never crash mlspec', () => {
  it('random bytes as YAML, JSON and Jsonnet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('x.yaml', 'x.json', 'x.jsonnet'),
        async (bytes, name) => check(name, bytes),
      ),
      { numRuns: 600 },
    );
  });

  it('random text edits of a valid spec', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (edits) =>
        check('system.yaml', applyText(SYSTEM, edits)),
      ),
      { numRuns: 1500 },
    );
  });

  it('random values in random places of a valid spec', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 7 }), fc.jsonValue({ maxDepth: 3 }), async (path, replacement) =>
        check('system.yaml', stringify(replaceNode(SYSTEM_VALUE, path, replacement))),
      ),
      { numRuns: 1500 },
    );
  });

  it('random edits of a Jsonnet spec', async () => {
    const jsonnet =
      `local spec = ${JSON.stringify(SYSTEM_VALUE, null, 1)};\nspec + { metadata+: { labels: { tier: 'gold' } } ` +
      `}\n`;
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (edits) =>
        check('system.jsonnet', applyText(jsonnet, edits)),
      ),
      { numRuns: 300 },
    );
  });

  it('the CLI answers every broken input with exit 1 and no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (edits) => {
        writeFileSync(join(dir, 'system.yaml'), applyText(SYSTEM, edits));
        const run = await runCli(['validate', '.'], { cwd: dir });
        expect([0, 1]).toContain(run.code);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        rmSync(join(dir, 'system.yaml'));
      }),
      { numRuns: 300 },
    );
  });

  it('cleans up', () => cleanup());
});
