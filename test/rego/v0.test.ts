// Rego v0 (pre-1.0) syntax, which most existing policy libraries (Gatekeeper, conftest) use.
// OPA's conformance cases are v1; these cover v0 through the engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RegoEngine } from '../../compiler/rego/engine.js';
import { bindings, valueOf } from './helpers.js';
import { casesDir } from './conformance/harness.js';

const v0 = { regoVersion: 0 as const };

describe('Rego v0 modules', () => {
  it('evaluates partial sets, partial objects, complete rules and defaults', () => {
    const mod = `package k8s
default allow = false
allow { count(violation) == 0 }
violation[msg] {
  c := input.containers[_]
  not c.limits
  msg := sprintf("%s has no limits", [c.name])
}
by_name[name] = c { c := input.containers[_]; name := c.name }
`;
    const input = { containers: [{ name: 'a', limits: {} }, { name: 'b' }] };
    expect(valueOf([mod], 'x := data.k8s.violation', { ...v0, input })).toEqual(['b has no limits']);
    expect(valueOf([mod], 'x := data.k8s.allow', { ...v0, input })).toBe(false);
    expect(valueOf([mod], 'x := data.k8s.by_name.a', { ...v0, input })).toEqual({ name: 'a', limits: {} });
  });

  it('evaluates v0 functions with `=`, else chains and multiple bodies', () => {
    const mod = `package f
grade(x) = "high" { x >= 10 } else = "mid" { x >= 5 } else = "low" { true }
ok { input.a == 1 } { input.b == 1 }
`;
    expect(bindings([mod], 'x := [data.f.grade(12), data.f.grade(7), data.f.grade(1)]', v0)).toEqual([
      { x: ['high', 'mid', 'low'] },
    ]);
    expect(valueOf([mod], 'x := data.f.ok', { ...v0, input: { b: 1 } })).toBe(true);
  });

  it('enables future keywords by import, and v1 rules with import rego.v1', () => {
    const withImports = `package a
import future.keywords.in
import future.keywords.if
import future.keywords.contains
p contains x if { some x in [1, 2] }
`;
    const upgraded = `package b
import rego.v1
q contains y if { some y in ["z"] }
`;
    expect(valueOf([withImports], 'x := data.a.p', v0)).toEqual([1, 2]);
    expect(valueOf([upgraded], 'x := data.b.q', v0)).toEqual(['z']);
  });

  it('runs a Gatekeeper-style template (violation[{"msg": msg}] over input.review)', () => {
    const template = `package k8srequiredlabels

get_message(parameters, _default) = msg {
  not parameters.message
  msg := _default
}

get_message(parameters, _default) = msg {
  msg := parameters.message
}

violation[{"msg": msg, "details": {"missing_labels": missing}}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_].key}
  missing := required - provided
  count(missing) > 0
  def_msg := sprintf("you must provide labels: %v", [missing])
  msg := get_message(input.parameters, def_msg)
}
`;
    const input = {
      review: { object: { metadata: { labels: { app: 'x' } } } },
      parameters: { labels: [{ key: 'app' }, { key: 'owner' }] },
    };
    expect(valueOf([template], 'x := data.k8srequiredlabels.violation', { ...v0, input })).toEqual([
      { msg: 'you must provide labels: {"owner"}', details: { missing_labels: ['owner'] } },
    ]);
  });

  it('never guesses: v0 text read as v1 is an error naming the fix', () => {
    const r = RegoEngine.load([{ file: 'old.rego', source: 'package x\np[y] { y := 1 }\n' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.hint).toContain('--v0-compatible');
    const perModule = RegoEngine.load([{ file: 'old.rego', source: 'package x\np[y] { y := 1 }\n', regoVersion: 0 }]);
    expect(perModule.ok).toBe(true);
  });

  it('passes the upstream v0 conformance sample', () => {
    const file = join(casesDir(), '..', 'upstream-yaml', 'v0', 'aggregates', 'test-aggregates-0002.yaml');
    const { cases } = parse(readFileSync(file, 'utf8')) as {
      cases: { modules: string[]; query: string; data: unknown; want_result: { x: unknown }[] }[];
    };
    for (const c of cases) {
      const got = bindings(c.modules, c.query, { ...v0, data: c.data });
      expect(got).toEqual(c.want_result);
    }
  });
});
