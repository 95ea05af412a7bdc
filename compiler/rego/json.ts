// JSON text → Rego values, keeping every digit of numbers (JSON.parse would round
// 18446744073709551617). Used for data and input files. Both paths are iterative, so a
// document nested 10,000 levels deep (as deep as Go's decoder allows) parses.
import { parseNumber } from './number.js';
import { ObjectValue, type Value } from './value.js';

export class JSONSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line} column ${column}`);
  }
}

/** Parses JSON text into Rego values; numbers that need it become exact BigNums. */
export function parseJSON(text: string): Value {
  // Fast path: when no number is long enough to lose precision, JSON.parse is exact.
  if (!/\d{16,}|[eE][+-]?\d{3}/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      return new Parser(text).document();
    }
    return toValue(parsed);
  }
  return new Parser(text).document();
}

/** JSON.parse output as Rego values, with an explicit stack instead of recursion. */
function toValue(root: unknown): Value {
  const convert = (x: unknown): Value => {
    if (x === null || typeof x !== 'object') return (x === 0 ? 0 : x) as Value;
    return Array.isArray(x) ? new Array<Value>(x.length) : new ObjectValue();
  };
  const out = convert(root);
  const stack: [unknown, Value][] = [[root, out]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      const arr = dst as Value[];
      for (let i = 0; i < src.length; i++) {
        const v = convert(src[i]);
        arr[i] = v;
        if (v !== null && typeof v === 'object') stack.push([src[i], v]);
      }
    } else if (src !== null && typeof src === 'object') {
      const obj = dst as ObjectValue;
      for (const k of Object.keys(src)) {
        const s = (src as Record<string, unknown>)[k];
        const v = convert(s);
        obj.put(k, v);
        if (v !== null && typeof v === 'object') stack.push([s, v]);
      }
    }
  }
  return out;
}

/** A container being filled: an array, or an object with the key of the value to come. */
type Open = { arr: Value[] } | { obj: ObjectValue; key?: string };

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): Value {
    const stack: Open[] = [];
    let result: Value = null;
    // Each turn reads one value (or opens a container) and hands it to its parent.
    for (;;) {
      this.space();
      let v: Value;
      const c = this.s[this.i];
      if (c === '[' || c === '{') {
        this.i++;
        this.space();
        const open: Open = c === '[' ? { arr: [] } : { obj: new ObjectValue() };
        const close = c === '[' ? ']' : '}';
        if (this.s[this.i] === close) {
          this.i++;
          v = 'arr' in open ? open.arr : open.obj;
        } else {
          stack.push(open);
          if ('obj' in open) open.key = this.key();
          continue;
        }
      } else v = this.scalar();
      // Deliver v, closing every container it completes.
      for (;;) {
        const parent = stack[stack.length - 1];
        if (!parent) {
          result = v;
          break;
        }
        if ('arr' in parent) parent.arr.push(v);
        else parent.obj.put(parent.key!, v);
        this.space();
        const sep = this.s[this.i++];
        if (sep === ',') {
          if ('obj' in parent) parent.key = this.key();
          break;
        }
        if (sep !== ('arr' in parent ? ']' : '}')) {
          this.i--;
          this.fail('arr' in parent ? 'expected , or ]' : 'expected , or }');
        }
        stack.pop();
        v = 'arr' in parent ? parent.arr : parent.obj;
      }
      if (stack.length === 0) break;
    }
    this.space();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return result;
  }

  private fail(message: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const column = this.i - before.lastIndexOf('\n');
    throw new JSONSyntaxError(message, line, column);
  }

  private space(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  /** `"key":` */
  private key(): string {
    this.space();
    if (this.s[this.i] !== '"') this.fail('expected a string key');
    const k = this.string();
    this.space();
    if (this.s[this.i++] !== ':') {
      this.i--;
      this.fail('expected :');
    }
    return k;
  }

  private scalar(): Value {
    const c = this.s[this.i];
    if (c === '"') return this.string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 1000));
    if (!m) this.fail('expected a JSON value');
    this.i += m[0].length;
    return parseNumber(m[0])!;
  }

  private string(): string {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.s.slice(this.i));
    if (!m) this.fail('invalid string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }
}
