// The committed out/ is what `mlspec compile` makes of the committed specs/: CI fails when
// someone changes a spec (or the compiler) without recompiling. Fix: `mlspec compile`.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');

describe('committed out/', () => {
  it('is up to date with specs/', async () => {
    const run = await runCli(['compile', 'specs', '--out', 'out', '--check'], { cwd: ROOT });
    expect(run.stdout).toMatch(/^out\/ is up to date/);
    expect(run.code).toBe(0);
  });
});
