// JSON text → Rego values, keeping every digit of numbers (JSON.parse would round
// 18446744073709551617). Used for data and input files.
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
    try {
      return toValue(JSON.parse(text));
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  return new Parser(text).document();
}

function toValue(x: unknown): Value {
  if (x === null || typeof x !== 'object') return (x === 0 ? 0 : x) as Value;
  if (Array.isArray(x)) return x.map(toValue);
  const o = new ObjectValue();
  for (const k of Object.keys(x)) o.put(k, toValue((x as Record<string, unknown>)[k]));
  return o;
}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): Value {
    const v = this.value();
    this.space();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return v;
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

  private value(): Value {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
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

  private array(): Value[] {
    this.i++;
    const out: Value[] = [];
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected , or ]');
    }
  }

  private object(): ObjectValue {
    this.i++;
    const out = new ObjectValue();
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail('expected a string key');
      const k = this.string();
      this.space();
      if (this.s[this.i++] !== ':') this.fail('expected :');
      out.put(k, this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }
}
