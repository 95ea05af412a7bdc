// Jsonnet's own test programs against mlspec's evaluator. Every program that does not pass is
// listed in skipped.tsv with the reason; the test fails when the list and reality disagree,
// in either direction, and when CONFORMANCE.md states other numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram, SUITE, suiteExists, suitePrograms } from './suite.js';

const source = (name: string) => readFileSync(join(import.meta.dirname, name), 'utf8');

function skipped(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of source('skipped.tsv').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [name, reason] = line.split('\t');
    out.set(name!, reason ?? '');
  }
  return out;
}

describe("Jsonnet's test programs", () => {
  it('are installed (the @hanazuki/node-jsonnet devDependency ships them)', () => {
    expect(suiteExists(), `no Jsonnet test_suite at ${SUITE}: run npm ci`).toBe(true);
  });

  it('pass, except the programs listed in skipped.tsv, each for its stated reason', () => {
    const programs = suitePrograms();
    const failing = new Map<string, string>();
    for (const name of programs) {
      const outcome = runProgram(name);
      if (!outcome.ok) failing.set(name, outcome.got);
    }
    const listed = skipped();
    const unexpected = [...failing].filter(([name]) => !listed.has(name));
    const nowPassing = [...listed.keys()].filter((name) => !failing.has(name));
    expect(unexpected, 'failing programs missing from skipped.tsv').toEqual([]);
    expect(nowPassing, 'programs in skipped.tsv that pass now: remove them').toEqual([]);
    const passed = programs.length - failing.size;
    const stated = /passes (\d+) of (\d+)/.exec(source('CONFORMANCE.md'));
    expect(stated && [Number(stated[1]), Number(stated[2])]).toEqual([passed, programs.length]);
  }, 120_000);
});
