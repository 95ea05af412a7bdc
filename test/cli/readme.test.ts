// The README's error example is what mlspec prints for the change it describes.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';

it('the README error example is reproducible as printed', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Errors'));
  const printed = /```\n(specs\/card-fraud\.yaml[\s\S]*?)```/.exec(section)![1]!;
  const { dir, cleanup } = tempDir();
  try {
    cpSync(join(ROOT, 'specs'), join(dir, 'specs'), { recursive: true });
    const file = join(dir, 'specs/card-fraud.yaml');
    const spec = readFileSync(file, 'utf8')
      .replace('      replicas: { min: 3, max: 12 }', '      replcas: { min: 3, max: 12 }')
      .replace('  prod:\n    cluster: prod-eu', '  prod:\n    cluster: prod-ue');
    writeFileSync(file, spec);
    const run = await runCli(['validate'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(printed);
  } finally {
    cleanup();
  }
});
