// `mlspec ab report` end to end on the example product-ranker (prod runs its A/B test): output
// formats, located errors for bad data (exit 1), and usage problems (exit 2).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { eventLines, outcomeLines, PRODUCT_RANKER_SOURCE, PRODUCT_RANKER_USERS } from './generate.js';

const ROOT = join(import.meta.dirname, '../..');
const tmp = tempDir('mlspec-ab-');
afterAll(tmp.cleanup);

const users = PRODUCT_RANKER_USERS;
function write(name: string, text: string): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, text);
  return file;
}
const events = write('events.jsonl', eventLines(users, PRODUCT_RANKER_SOURCE));
const outcomes = write('outcomes.jsonl', outcomeLines(users, 'click_through', 'rate'));
const report = (...args: string[]) =>
  runCli(['ab', 'report', 'product-ranker', 'specs', '--env', 'prod', ...args], { cwd: ROOT });

describe('mlspec ab report', () => {
  it('reports in text, JSON and Markdown, with the verdict and its reason', async () => {
    const text = await report('--events', events, '--outcomes', outcomes);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^A\/B test product-ranker \(prod\): KEEP-RUNNING\n/);
    expect(text.stdout).toContain('planned sample not reached');
    expect(text.stdout).toContain('(interim: the planned sample is not reached, so these p-values decide nothing)');
    const json = await report('--events', events, '--outcomes', outcomes, '--format', 'json');
    const parsed = JSON.parse(json.stdout);
    expect(parsed.verdict.decision).toBe('keep-running');
    expect(parsed.control).toBe('ranker-a');
    expect(parsed.variants.map((v: { n: number }) => v.n).reduce((a: number, b: number) => a + b)).toBe(400);
    expect(parsed.plan.baselineFrom).toBe('observed');
    const md = await report('--events', events, '--outcomes', outcomes, '--format', 'markdown');
    expect(md.stdout).toContain('### A/B test `product-ranker` (prod): **KEEP-RUNNING**');
    expect(md.stdout).toContain('| variant | weight | units | planned | value | CI |');
  });

  it('a malformed event line is an error at its file and line, with a hint, exit 1', async () => {
    const bad = write('bad.jsonl', `${eventLines(users.slice(0, 2), PRODUCT_RANKER_SOURCE)}{"specv\n`);
    const lines = eventLines(users.slice(0, 2), PRODUCT_RANKER_SOURCE).split('\n').length;
    const r = await report('--events', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:${lines}:1: error[malformed_record]: line is not JSON`);
    expect(r.stderr).toContain('hint: each line must be one JSON object');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('an event that breaks the versioned record is located and named', async () => {
    const event = JSON.parse(eventLines(users.slice(0, 1), PRODUCT_RANKER_SOURCE).split('\n')[0]!);
    delete event.data.variant;
    const bad = write('bad-record.jsonl', `\n${JSON.stringify(event)}\n`);
    const r = await report('--events', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:2:1: error[malformed_event]: io.mlspec.assignment.v1 event: data must have`);
  });

  it('a malformed outcome record is located', async () => {
    const bad = write('bad-outcomes.jsonl', '{"metric": "click_through", "key": "u", "value": "3"}\n');
    const r = await report('--events', events, '--outcomes', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:1:1: error[malformed_outcome]: \`value\` is not a finite number`);
  });

  it('reads a Prometheus snapshot of the runtime counters, summed over the other labels', async () => {
    const snapshot = write(
      'metrics.prom',
      [
        '# TYPE mlspec_requests_total counter',
        'mlspec_requests_total{model="product-ranker",variant="ranker-a",code="200",pod="p1"} 600',
        'mlspec_requests_total{model="product-ranker",variant="ranker-a",code="200",pod="p2"} 400',
        'mlspec_requests_total{model="product-ranker",variant="ranker-b",code="500"} 10',
        'mlspec_requests_total{model="product-ranker",variant="ranker-b",code="200"} 990',
        'mlspec_requests_total{model="product-ranker",variant="",code="404"} 7',
        'click_through_total{variant="ranker-a"} 200',
        'click_through_total{variant="ranker-b"} 260 1733000000000',
        '',
      ].join('\n'),
    );
    const r = await report('--counters', snapshot, '--format', 'json');
    expect(r.stderr).toBe('');
    const parsed = JSON.parse(r.stdout);
    expect(parsed.variants.map((v: { n: number; value: number }) => [v.n, v.value])).toEqual([
      [1000, 0.2],
      [1000, 0.26],
    ]);
    appendFileSync(snapshot, 'click_through_total{variant="ranker-b" 3\n');
    const bad = await report('--counters', snapshot);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${snapshot}:9:1: error[malformed_metrics]`);
  });

  it('usage problems exit 2: unknown system or environment, no A/B test, unreadable files', async () => {
    const unknown = await runCli(['ab', 'report', 'product-rankr', 'specs', '--events', events], { cwd: ROOT });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no system `product-rankr`; did you mean `product-ranker`?');
    const env = await runCli(['ab', 'report', 'product-ranker', 'specs', '--env', 'prd', '--events', events], {
      cwd: ROOT,
    });
    expect(env.code).toBe(2);
    const dev = await runCli(['ab', 'report', 'product-ranker', 'specs', '--env', 'dev', '--events', events], {
      cwd: ROOT,
    });
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain('product-ranker runs no A/B test in dev');
    const missing = await report('--events', join(tmp.dir, 'nope.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });
});
