// The spec validators: schema authoring is checked strictly, and the code generated at build
// time (what the CLI uses) validates exactly like a run-time compile.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { AJV_OPTIONS, GENERATED_FILE } from '../../compiler/validate/schemas.js';
import type { SchemaKind } from '../../compiler/validate/schema-kinds.js';
import { compileValidators, SCHEMAS } from '../../compiler/validate/compile-validators.js';
import { RuntimeConfig } from '../../runtime/contract/config.js';
import { MLSystem } from '../../compiler/schema/mlsystem.js';
import { Platform } from '../../compiler/schema/platform.js';

const ROOT = join(import.meta.dirname, '../..');
const DIST_SCHEMAS = join(ROOT, 'dist/compiler/validate/schemas.js');

describe('spec validators', () => {
  it('the schemas pass ajv strict mode (no unknown keywords, no ambiguous types)', () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    for (const schema of [MLSystem, Platform, RuntimeConfig]) expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('the build generates validation code carrying the schemas it was made from', () => {
    const generated = createRequire(DIST_SCHEMAS)(`./${GENERATED_FILE}`) as { schemas: unknown };
    expect(generated.schemas).toEqual(JSON.parse(JSON.stringify(SCHEMAS)));
  });

  it('the built CLI uses the generated code, and does not compile schemas', async () => {
    const mod = (await import(pathToFileURL(DIST_SCHEMAS).href)) as { validators: () => { generated: boolean } };
    expect(mod.validators().generated).toBe(true);
  });

  it.each([
    ['a spec module', 'compiler/schema/serving.js'],
    ['a shared schema building block', 'core/schema/typebox.js'],
    ['the runtime contract', 'runtime/contract/tensor.js'],
  ])('generated code is not used after %s changes', (_, edited) => {
    // Inside the project, so the copy resolves the project's packages.
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/mlspec-validators-'));
    try {
      // A copy of dist's validators and every folder the schemas are built from, one module edited after the build.
      for (const part of ['compiler/validate', 'compiler/schema', 'core', 'runtime/contract']) {
        cpSync(join(ROOT, 'dist', part), join(dir, part), { recursive: true });
      }
      const schemasModule = pathToFileURL(join(dir, 'compiler/validate/schemas.js')).href;
      const generatedUsed = () =>
        spawnSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const m = await import(${JSON.stringify(schemasModule)}); console.log(m.validators().generated)`,
          ],
          { encoding: 'utf8', cwd: ROOT },
        );
      expect(generatedUsed().stdout.trim()).toBe('true');
      appendFileSync(join(dir, edited), '\n// edited\n');
      const run = generatedUsed();
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generated and compiled validators accept, reject and fill defaults alike', () => {
    const generated = createRequire(DIST_SCHEMAS)(`./${GENERATED_FILE}`) as Record<
      SchemaKind,
      (d: unknown) => boolean
    > &
      Record<string, { errors?: unknown }>;
    const compiled = compileValidators(AJV_OPTIONS);
    const system = parse(readFileSync(join(ROOT, 'test/fixtures/minimal/system.yaml'), 'utf8'));
    const variants: unknown[] = [
      system,
      { ...system, metadata: { ...system.metadata, costCenter: 7 } },
      { ...system, serving: { tiers: { cpu: { ...system.serving.tiers.cpu, replcas: 1 } } } },
      { ...system, rollout: { strategy: 'abTest' } },
      { ...system, compliance: { ...system.compliance, personalData: { processed: true } } },
      [],
      null,
    ];
    for (const v of variants) {
      const a = structuredClone(v);
      const b = structuredClone(v);
      const okGenerated = generated.MLSystem(a);
      const okCompiled = compiled.MLSystem(b);
      expect(okGenerated).toBe(okCompiled);
      expect(a).toEqual(b);
      const errs = (f: { errors?: unknown }) =>
        JSON.stringify(
          ((f.errors ?? []) as { instancePath: string; keyword: string; params: unknown }[])
            .map((e) => [e.instancePath, e.keyword, e.params])
            .sort(),
        );
      expect(errs(generated.MLSystem as unknown as { errors?: unknown })).toBe(errs(compiled.MLSystem));
    }
  });
});
