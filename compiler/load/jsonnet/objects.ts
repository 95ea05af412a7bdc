// The object model: looking a field up through the layers with late-bound `self`, `super` as
// the layers below the one a field is written in, `+:` fields adding to the inherited value,
// and assertions checked once, before a field of the object is first used.
import type { Bind, Node } from './ast.js';
import type { Loc } from './errors.js';
import { frameDepth, hooks, popFrames, pushFrame, runtimeError } from './runtime.js';
import { Env, type FieldDef, type JObject, type Thunk, type Value } from './value.js';

/** A lazy expression: evaluated once, in its environment, when first forced. */
export class ExprThunk implements Thunk {
  private value: Value | undefined;

  constructor(
    private node: Node | null,
    private env: Env | null,
    private readonly name: string,
    /** Where the frame is shown in traces (an import's frame is at the import, not in the file). */
    private readonly at?: Loc,
  ) {}

  force(): Value {
    if (this.value !== undefined) return this.value;
    const node = this.node!;
    const depth = frameDepth();
    pushFrame(this.at ?? node.loc, this.name);
    const v = hooks.evaluate(node, this.env!);
    popFrames(depth);
    this.value = v;
    this.node = null;
    this.env = null;
    return v;
  }
}

/** The environment of code written in layer `layer` of `self`: its object locals bound. */
export function objectEnv(outer: Env, locals: readonly Bind[], self: JObject, layer: number): Env {
  const slots: Thunk[] = [];
  const env = new Env(outer, slots, self, layer, outer.dollar ?? self);
  for (const l of locals) slots.push(new ExprThunk(l.body, env, l.name));
  return env;
}

/** The value of `name` as seen from layer `from` down (the whole object, or `super`). */
export function fieldFrom(obj: JObject, name: string, from: number, loc: Loc): Value | undefined {
  const i = obj.find(name, from);
  if (i < 0) return undefined;
  const def = obj.layers[i]!.fields.get(name)!;
  const own = fieldValue(obj, i, def, name, loc);
  if (!def.plus) return own;
  const inherited = i > 0 ? fieldFrom(obj, name, i - 1, loc) : undefined;
  return inherited === undefined ? own : hooks.add(inherited, own, loc);
}

function fieldValue(obj: JObject, layer: number, def: FieldDef, name: string, at: Loc): Value {
  if (def.value) return def.value.force();
  const depth = frameDepth();
  pushFrame(at, `object <${name}>`);
  const v = hooks.evaluate(def.body!, objectEnv(def.env!, def.locals!, obj, layer));
  popFrames(depth);
  return v;
}

/** `obj[name]`, or undefined when there is no such field. Checks the object's assertions first. */
export function getField(obj: JObject, name: string, loc: Loc): Value | undefined {
  if (obj.assertState === 0) checkAsserts(obj);
  const cached = obj.cache.get(name);
  if (cached !== undefined) return cached;
  const v = fieldFrom(obj, name, obj.layers.length - 1, loc);
  if (v !== undefined) obj.cache.set(name, v);
  return v;
}

export function mustGetField(obj: JObject, name: string, loc: Loc): Value {
  const v = getField(obj, name, loc);
  if (v === undefined) throw runtimeError(`field does not exist: ${name}`, loc);
  return v;
}

/** Run every layer's assertions with `self` bound to the whole object. */
export function checkAsserts(obj: JObject): void {
  if (obj.assertState !== 0) return;
  obj.assertState = 1;
  try {
    obj.layers.forEach((layer, i) => {
      for (const a of layer.asserts) {
        const env = objectEnv(a.env, a.locals, obj, i);
        const depth = frameDepth();
        pushFrame(a.cond.loc, 'thunk <object_assert>');
        const ok = hooks.evaluate(a.cond, env);
        if (typeof ok !== 'boolean') {
          throw runtimeError(`assertion condition must be boolean, got ${typeof ok}.`, a.cond.loc);
        }
        if (!ok) {
          const text = a.message ? hooks.messageText(hooks.evaluate(a.message, env)) : 'Object assertion failed.';
          throw runtimeError(text, a.message ? a.message.loc : a.cond.loc);
        }
        popFrames(depth);
      }
    });
    obj.assertState = 2;
  } catch (e) {
    obj.assertState = 0;
    throw e;
  }
}

/** Where a field's value is written (the topmost definition), for locating errors in it. */
export function fieldLoc(obj: JObject, name: string, fallback: Loc): Loc {
  const i = obj.find(name);
  return (i >= 0 ? obj.layers[i]!.fields.get(name)!.body?.loc : undefined) ?? fallback;
}

/** Visible field names in Jsonnet's order (by code point). */
export function visibleFields(obj: JObject): string[] {
  const out: string[] = [];
  for (const [name, visible] of obj.fields()) if (visible) out.push(name);
  return out.sort(compareStrings);
}

export function allFields(obj: JObject): string[] {
  return [...obj.fields().keys()].sort(compareStrings);
}

/** Strings compare by code point (as UTF-32), not by UTF-16 code unit. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP character.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
