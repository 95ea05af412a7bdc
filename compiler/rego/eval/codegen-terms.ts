// Part of the code generator (codegen.ts): JavaScript for the value of a term that has at most
// one, the generated counterpart of `Evaluator.directValue`. Each snippet assigns the value,
// undefined, or N (NEEDS_SEARCH) to a variable, exactly as directValue would return them, in
// the same order of reads.
//
// Refs into lazy objects (input, base data) read the raw JSON with property names written
// into the code: every read site gets its own inline cache, where a shared interpreter sees
// every object shape at one site and falls back to slow generic lookups. Only scalars are
// read this way; composite members, and anything unusual (objects that are not plain, exotic
// values), go through the ObjectValue methods the interpreter uses, so the results are the same.
//
// The generated text never contains policy text: names and keys are written with
// JSON.stringify (a JSON string is a JavaScript string literal) and everything else is an
// integer or an index into the constants array.
import type { RefTerm, Term } from '../ast/nodes.js';

/** Constants of one generated function, hoisted as `c0 = C[0]`, `c1 = C[1]`... */
export class Constants {
  readonly values: unknown[] = [];
  private readonly index = new Map<unknown, string>();

  /** The name of a constant holding `v` (one per distinct object or value). */
  ref(v: unknown): string {
    let name = this.index.get(v);
    if (name === undefined) {
      name = `c${this.values.length}`;
      this.values.push(v);
      this.index.set(v, name);
    }
    return name;
  }

  /** `const c0 = C[0], ...;`, for the top of the generated source. */
  declarations(): string {
    return this.values.length === 0 ? '' : `const ${this.values.map((_, i) => `c${i} = C[${i}]`).join(', ')};\n`;
  }
}

/** A string literal (JSON text is valid JavaScript). */
export const literal = (s: string): string => JSON.stringify(s);

/** Emits the JavaScript for term values; `fresh` names locals uniquely within one function. */
export class TermEmitter {
  private n = 0;

  constructor(readonly consts: Constants) {}

  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  private scalar(v: unknown): string {
    if (typeof v === 'string') return literal(v);
    if (v === null || typeof v === 'boolean') return String(v);
    return this.consts.ref(v);
  }

  /** Statements assigning the term's direct value (or undefined, or N) to `out`. */
  direct(t: Term, out: string): string {
    switch (t.type) {
      case 'scalar':
        return `${out} = ${this.scalar(t.value)};\n`;
      case 'var':
        // As directValue: an unbound var (and, there, a var bound to null) needs the search.
        return t.slot === undefined ? `${out} = N;\n` : `${out} = f[${t.slot}] ?? N;\n`;
      case 'array':
      case 'set': {
        if (t.value !== undefined) return `${out} = ${this.consts.ref(t.value)};\n`;
        const label = this.fresh('L');
        const items = t.items.map(() => this.fresh('i'));
        let code = `${label}: {\nlet ${items.join(', ')};\n`;
        t.items.forEach((item, i) => {
          code += this.direct(item, items[i]!);
          code += `if (${items[i]} === N || ${items[i]} === undefined) ${exit(out, items[i]!, label)}`;
        });
        const list = `[${items.join(', ')}]`;
        return `${code}${out} = ${t.type === 'array' ? list : `SetValue.of(${list})`};\n}\n`;
      }
      case 'object':
        return `${out} = ${t.value === undefined ? 'N' : this.consts.ref(t.value)};\n`;
      case 'ref':
        return this.ref(t, out);
      default:
        return `${out} = N;\n`;
    }
  }

  private ref(t: RefTerm, out: string): string {
    const head = t.head;
    if (head.type !== 'var') return `${out} = N;\n`;
    if (head.slot === undefined && head.name === 'data') {
      return t.keys
        ? `${out} = ev.dataRef(${this.consts.ref(t)});\n`
        : `${out} = ev.directData(${this.consts.ref(t.path)}, f);\n`;
    }
    if (head.slot === undefined && head.name !== 'input') return `${out} = N;\n`;
    const label = this.fresh('L');
    const v = this.fresh('v');
    let code = `${label}: {\nlet ${v};\n`;
    if (head.slot !== undefined) code += `${v} = f[${head.slot}];\nif (${v} === undefined) ${exit(out, 'N', label)}`;
    else code += `${v} = ev.state.input;\nif (${v} === undefined) ${exit(out, 'undefined', label)}`;
    if (t.constPath !== undefined) {
      code += `if (${v} instanceof ObjectValue) {\n${this.readPath(t, v, out)}break ${label};\n}\n`;
    } else if (t.path.length === 1 && t.path[0]!.type === 'scalar' && typeof t.path[0]!.value === 'string') {
      code += `if (${v} instanceof ObjectValue) {\n${this.readMember(t.path[0]!.value, v, out)}break ${label};\n}\n`;
    }
    for (const seg of t.path) {
      let key: string;
      if (seg.type === 'scalar') key = this.scalar(seg.value);
      else if (seg.type === 'var' && seg.slot !== undefined) {
        key = this.fresh('k');
        code += `const ${key} = f[${seg.slot}];\nif (${key} === undefined) ${exit(out, 'N', label)}`;
      } else {
        code += `${out} = N;\nbreak ${label};\n`;
        break;
      }
      code += `${v} = ${v} instanceof ObjectValue ? ${v}.get(${key}) : index(${v}, ${key});\n`;
      code += `if (${v} === undefined) ${exit(out, 'undefined', label)}`;
    }
    return `${code}${out} = ${v};\n}\n`;
  }

  /**
   * `o.get(key)` for an ObjectValue `o`, reading a scalar member of a lazy object directly.
   * Mirrors ObjectValue.get: strings and booleans as they are, numbers with -0 as 0 (fromJS
   * refuses NaN and infinities), null; members that are composite or exotic through get().
   */
  private readMember(key: string, o: string, out: string): string {
    const raw = this.fresh('r');
    const x = this.fresh('x');
    const k = literal(key);
    return (
      `const ${raw} = ${o}.json;\n` +
      `if (${raw} === undefined) ${out} = ${o}.get(${k});\n` +
      `else {\nconst ${x} = ${raw}[${k}];\n${this.convert(x, out, `${o}.get(${k})`, `${o}.get(${k})`)}}\n`
    );
  }

  /**
   * `o.getPath(path)` for an ObjectValue `o`, walking a lazy object's raw JSON with the keys in
   * the code. Mirrors getPath: each object on the way must be a plain object (else getPath
   * decides), an inherited member is no member; scalar results as in readMember, composite
   * ones converted once per object and path (ObjectValue.pathMember).
   */
  private readPath(t: RefTerm, o: string, out: string): string {
    const path = t.constPath!;
    const key = this.consts.ref(t.pathKey!);
    const slow = `${o}.getPath(${this.consts.ref(path)}, ${key})`;
    const label = this.fresh('P');
    const x = this.fresh('x');
    const y = this.fresh('y');
    // A composite member converted before (by an earlier read of the path) is the value.
    let code =
      `${label}: {\nlet ${x} = ${o}.json, ${y};\nif (${x} === undefined) ${exit(out, slow, label)}` +
      `${y} = ${o}.pathCached(${key});\nif (${y} !== undefined) ${exit(out, y, label)}`;
    for (const key of path) {
      const k = literal(key);
      // The member is read before the prototype check, so the check is on an object whose
      // shape the read has just established (the optimizing compiler folds it).
      code +=
        `if (typeof ${x} !== 'object' || ${x} === null) ${exit(out, slow, label)}` +
        `${y} = ${x}[${k}];\n` +
        `if (getProto(${x}) !== OP) ${exit(out, slow, label)}` +
        `if (${y} === undefined) ${exit(out, 'undefined', label)}` +
        `if (${key === '__proto__' ? 'true' : `typeof ${y} === 'function'`} && !hasOwn(${x}, ${k})) ` +
        `${exit(out, 'undefined', label)}` +
        `${x} = ${y};\n`;
    }
    return `${code}${this.convert(x, out, `${o}.pathMember(${key}, ${x})`, slow)}}\n`;
  }

  /**
   * `out` = the JSON value `x` as a Rego value: scalars here, objects and arrays as `composite`,
   * anything else (functions, bigints...) as `fallback`.
   */
  private convert(x: string, out: string, composite: string, fallback: string): string {
    return (
      `if (typeof ${x} === 'string' || typeof ${x} === 'boolean') ${out} = ${x};\n` +
      `else if (typeof ${x} === 'number') ${out} = ${x} === 0 ? 0 : Number.isFinite(${x}) ? ${x} : fromJS(${x});\n` +
      `else if (${x} === undefined) ${out} = undefined;\n` +
      `else if (${x} === null) ${out} = null;\n` +
      `else if (typeof ${x} === 'object') ${out} = ${composite};\n` +
      `else ${out} = ${fallback};\n`
    );
  }
}

/** Assigns the result and leaves the labelled block. */
function exit(out: string, value: string, label: string): string {
  return `{ ${out} = ${value}; break ${label}; }\n`;
}
