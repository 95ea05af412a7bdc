// Diagnostics echo values from specs (and, through Jsonnet, from whatever a spec computed) into
// CI logs: a long value is cut short with a marker, and control characters are escaped, so a
// value can neither dump a file's worth of text nor paint the terminal or fake a line.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cutShort, quote } from '../../core/diagnostics/quote.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/minimal');

describe('values in diagnostics', () => {
  it('are quoted on one line, cut at 60 characters with a marker', () => {
    expect(quote('replcas')).toBe('`replcas`');
    expect(quote(42)).toBe('`42`');
    expect(quote({ a: [1] })).toBe('`{"a":[1]}`');
    expect(quote('x'.repeat(61))).toBe(`\`${'x'.repeat(60)}…\` (61 characters, cut short)`);
    expect(quote('a\nb\u001b[2J\u2028')).toBe('`a\\nb\\u001b[2J\\u2028`');
    // Characters, not UTF-16 units: an emoji is never cut in half.
    expect(quote('😀'.repeat(61))).toBe(`\`${'😀'.repeat(60)}…\` (61 characters, cut short)`);
    expect(cutShort('abc', 2)).toBe('ab… (3 characters, cut short)');
  });

  it('from a spec are never echoed whole, nor raw, by validate (text and JSON)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const secret = `SECRET-${'s'.repeat(5000)}`;
      // YAML keys end within 1024 characters.
      const key = `SECRET-${'s'.repeat(1000)}`;
      const system = readFileSync(join(FIXTURES, 'system.yaml'), 'utf8')
        .replace('  costCenter: CC-1\n', `  costCenter: CC-1\n  ${key}: 1\n`)
        .replace('dataClassification: internal', 'dataClassification: "internal\\n\\u001b[31merror[fake]: ok"');
      writeFileSync(join(dir, 'system.yaml'), system);
      writeFileSync(join(dir, 'platform.yaml'), readFileSync(join(FIXTURES, 'platform.yaml'), 'utf8'));
      writeFileSync(join(dir, 'other.yaml'), `apiVersion: mlspec.io/v1alpha1\nkind: ${secret}\n`);
      const text = await runCli(['validate', '.'], { cwd: dir });
      expect(text.code).toBe(1);
      expect(text.stderr).toContain('error[unknown_key]: unknown key `SECRET-ssss');
      expect(text.stderr).toContain('error[unknown_kind]: unknown kind `SECRET-ssss');
      expect(text.stderr).toContain('…` (1007 characters, cut short)');
      expect(text.stderr).toContain('…` (5007 characters, cut short)');
      expect(text.stderr).not.toContain('s'.repeat(61));
      expect(text.stderr).not.toContain('\u001b');
      expect(text.stderr).not.toMatch(/^error\[fake\]/m);
      const json = await runCli(['validate', '.', '--format', 'json'], { cwd: dir });
      const messages = (JSON.parse(json.stdout).diagnostics as { message: string }[]).map((d) => d.message);
      expect(messages.length).toBeGreaterThan(2);
      for (const m of messages) expect(m).not.toContain('s'.repeat(61));
    } finally {
      cleanup();
    }
  });
});
