// Renders test results: text like `opa test` (failures with their location and print output,
// `-v` lists every test) ending with `N passed, N failed[, N skipped][, N errors]`, or JSON
// in the shape of `opa test --format json`.
import { opaLocation } from '../format.js';
import type { TestResult, TestSummary } from './runner.js';
import { summarize } from './runner.js';

const RULE = '-'.repeat(80);

function where(r: TestResult): string {
  const l = r.test.location;
  return `${l.file}:${l.line}:${l.column}`;
}

function line(r: TestResult): string {
  const label = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIPPED' }[r.status];
  const time =
    r.status === 'skip' ? '' : ` (${r.durationMs < 1 ? r.durationMs.toFixed(3) : r.durationMs.toFixed(1)}ms)`;
  return `${r.test.path}: ${label}${time}`;
}

export function summaryLine(s: TestSummary): string {
  const parts = [`${s.passed} passed`, `${s.failed} failed`];
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
  if (s.errors > 0) parts.push(`${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`);
  return parts.join(', ');
}

export function renderTestText(results: readonly TestResult[], verbose: boolean): string {
  const out: string[] = [];
  if (verbose) {
    let file = '';
    for (const r of results) {
      if (r.test.location.file !== file) {
        file = r.test.location.file;
        if (out.length > 0) out.push('');
        out.push(`${file}:`);
      }
      out.push(line(r));
      for (const o of r.output) out.push(`  ${o}`);
    }
  }
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length > 0) {
    if (out.length > 0) out.push('');
    out.push('FAILURES', RULE);
    for (const r of bad) {
      out.push(`${line(r)}`, `  at ${where(r)}`);
      if (r.error) out.push(`  ${r.error.toString()}`);
      else out.push('  the test rule was undefined or not true');
      for (const o of r.output) out.push(`  ${o}`);
      out.push('');
    }
  }
  out.push(RULE, summaryLine(summarize(results)));
  return `${out.join('\n')}\n`;
}

/** One entry per test, as `opa test --format json` reports them (duration in nanoseconds). */
export function renderTestJson(results: readonly TestResult[]): string {
  const items = results.map((r) => ({
    location: opaLocation(r.test.location),
    package: r.test.pkg,
    name: r.test.name,
    ...(r.status === 'fail' ? { fail: true } : {}),
    ...(r.status === 'skip' ? { skip: true } : {}),
    ...(r.error
      ? {
          error: {
            code: r.error.code,
            message: r.error.message,
            ...(r.error.location ? { location: opaLocation(r.error.location) } : {}),
          },
        }
      : {}),
    ...(r.output.length > 0 ? { output: `${r.output.join('\n')}\n` } : {}),
    duration: Math.round(r.durationMs * 1e6),
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}
