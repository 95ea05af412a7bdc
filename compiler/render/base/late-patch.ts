// JSON patches applied to an object after cdk8s serialised it. cdk8s-plus-28 serialises its
// workloads through the generated Kubernetes 1.28 types, which drop fields added since (the
// `sleep` lifecycle action, 1.30): an ordinary `addJsonPatch` runs before that filter and is
// lost. Synthesis applies these after it; the upstream schema test still checks the result.
import { type ApiObject, JsonPatch } from 'cdk8s';

const LATE = new WeakMap<ApiObject, JsonPatch[]>();

export function addLatePatch(object: ApiObject, ...ops: JsonPatch[]): void {
  LATE.set(object, [...(LATE.get(object) ?? []), ...ops]);
}

/** The object's JSON with its late patches applied (synthesis calls it). */
export function withLatePatches(object: ApiObject, json: Record<string, unknown>): Record<string, unknown> {
  const ops = LATE.get(object);
  return ops ? (JsonPatch.apply(json, ...ops) as Record<string, unknown>) : json;
}
