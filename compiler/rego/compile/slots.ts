// Stage AllocateSlots: each var of a rule gets an index into the rule's frame (an array the
// evaluator allocates per rule evaluation), and constant composite terms get their value
// computed once, so evaluation does neither name lookups nor repeated allocation.
import type { Body, Term } from '../ast/nodes.js';
import { ObjectValue, SetValue, type Value } from '../value.js';
import { walkBody, walkTerm } from './walk.js';

const ROOTS = new Set(['input', 'data']);

export class Slots {
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.slots.size;
  }

  /** The slot of each user-visible var name. */
  get names(): ReadonlyMap<string, number> {
    return this.slots;
  }

  term(t: Term): void {
    walkTerm(t, (x) => this.visit(x));
  }

  body(b: Body): void {
    walkBody(b, (x) => this.visit(x));
  }

  private visit(x: Term): void {
    if (x.type === 'var' && !ROOTS.has(x.name)) {
      let s = this.slots.get(x.name);
      if (s === undefined) {
        s = this.slots.size;
        this.slots.set(x.name, s);
      }
      x.slot = s;
    }
    if (x.type === 'ref' && x.head.type === 'var' && x.path.every((p) => p.type === 'scalar')) {
      if (x.head.name === 'data') x.keys = x.path.map((p) => (p as { value: Value }).value);
      else if (x.path.length > 1 && x.path.every((p) => typeof (p as { value: Value }).value === 'string')) {
        x.constPath = x.path.map((p) => (p as { value: string }).value);
        x.pathKey = JSON.stringify(x.constPath);
      }
    }
    if ((x.type === 'array' || x.type === 'set' || x.type === 'object') && x.value === undefined) {
      const v = constantValue(x);
      if (v !== undefined) x.value = v;
    }
  }
}

/** The value of a term made only of constants; undefined otherwise. */
export function constantValue(t: Term): Value | undefined {
  switch (t.type) {
    case 'scalar':
      return t.value;
    case 'array': {
      if (t.value !== undefined) return t.value;
      const out: Value[] = [];
      for (const x of t.items) {
        const v = constantValue(x);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'set': {
      if (t.value !== undefined) return t.value;
      const out = new SetValue();
      for (const x of t.items) {
        const v = constantValue(x);
        if (v === undefined) return undefined;
        out.add(v);
      }
      return out;
    }
    case 'object': {
      if (t.value !== undefined) return t.value;
      const out = new ObjectValue();
      for (const [k, x] of t.entries) {
        const kv = constantValue(k);
        const v = constantValue(x);
        if (kv === undefined || v === undefined) return undefined;
        // A literal repeating a key with another value is a conflict the evaluator reports.
        const prev = out.get(kv);
        if (prev !== undefined) return undefined;
        out.put(kv, v);
      }
      return out;
    }
    default:
      return undefined;
  }
}
