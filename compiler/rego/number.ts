// Rego numbers compare by value (1 == 1.0) and keep the precision of their decimal text, as
// OPA's json.Number does. Most numbers are plain JS doubles; a number whose decimal value a
// double cannot carry faithfully (big integers, 20+ significant digits, 1e400) is a BigNum,
// an exact decimal `m × 10^e`.
//
// Invariant (kept by `makeDecimal`, relied on by equality and hashing): a value is a JS
// number exactly when the shortest decimal text of that double denotes the value; otherwise
// it is a BigNum. So one value has one representation, and `===` on JS numbers plus field
// equality on BigNums is value equality.

export class BigNum {
  /** Use `makeDecimal`, which enforces the invariant above. */
  constructor(
    readonly m: bigint,
    readonly e: number,
  ) {}
  toString(): string {
    return decimalToString(this.m, this.e);
  }
}

export type RegoNumber = number | BigNum;

interface Decimal {
  m: bigint;
  e: number;
}

const TEN = 10n;

function normalize(m: bigint, e: number): Decimal {
  if (m === 0n) return { m, e: 0 };
  while (m % TEN === 0n) {
    m /= TEN;
    e++;
  }
  return { m, e };
}

/** The exact decimal a JS number stands for (its shortest round-trip text). */
export function decimalOf(n: RegoNumber): Decimal {
  if (n instanceof BigNum) return { m: n.m, e: n.e };
  if (Number.isSafeInteger(n)) return normalize(BigInt(n), 0);
  return parseDecimal(String(n)) ?? { m: 0n, e: 0 };
}

/** Parses JSON/Rego number text (`-12.5e+3`) into an exact decimal; undefined if malformed. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, int = '', frac = ''] = match;
  if (int === '' && frac === '') return undefined;
  const exp = match[4] ? Number(match[4]) : 0;
  if (!Number.isSafeInteger(exp)) return undefined;
  let m = BigInt((int || '0') + frac);
  if (sign === '-') m = -m;
  return normalize(m, exp - frac.length);
}

function sameDecimal(a: Decimal, b: Decimal): boolean {
  return a.m === b.m && a.e === b.e;
}

/** The canonical representation of `m × 10^e`. */
export function makeDecimal(m: bigint, e: number): RegoNumber {
  const d = normalize(m, e);
  if (d.e >= 0 && d.e < 16) {
    const i = d.m * TEN ** BigInt(d.e);
    if (i >= -9007199254740991n && i <= 9007199254740991n) return Number(i);
  }
  // Beyond these exponents no double can hold the value anyway (and 10^e would be huge).
  if (d.e > 400 || d.e < -400) return new BigNum(d.m, d.e);
  const n = Number(`${d.m}e${d.e}`);
  if (Number.isFinite(n) && n !== 0 && sameDecimal(decimalOf(n), d)) return n;
  return new BigNum(d.m, d.e);
}

/** Number text from a Rego literal or JSON document. */
export function parseNumber(text: string): RegoNumber | undefined {
  // Fast path: short plain integers.
  if (text.length < 16 && /^-?\d+$/.test(text)) return Number(text) + 0;
  const d = parseDecimal(text);
  return d === undefined ? undefined : makeDecimal(d.m, d.e);
}

/** A JS number from outside (JSON.parse, an API caller): taken at its shortest text. */
export function fromJsNumber(n: number): RegoNumber {
  // -0 and 0 are the same Rego number; NaN and infinities are not Rego numbers.
  return n === 0 ? 0 : n;
}

export function isNumber(v: unknown): v is RegoNumber {
  return typeof v === 'number' || v instanceof BigNum;
}

export function isInteger(n: RegoNumber): boolean {
  return typeof n === 'number' ? Number.isInteger(n) : n.e >= 0;
}

/** The exact integer value; undefined for non-integers. */
export function toBigInt(n: RegoNumber): bigint | undefined {
  if (typeof n === 'number' && Number.isSafeInteger(n)) return BigInt(n);
  const d = decimalOf(n);
  if (d.e < 0) return undefined;
  return d.m * TEN ** BigInt(d.e);
}

/** Small integers as JS numbers (for indexes, counts); undefined otherwise. */
export function toSafeInteger(n: RegoNumber): number | undefined {
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** A double approximation (what OPA's float64 conversions see). */
export function toDouble(n: RegoNumber): number {
  return typeof n === 'number' ? n : Number(`${n.m}e${n.e}`);
}

export function fromBigInt(i: bigint): RegoNumber {
  return makeDecimal(i, 0);
}

function digits(m: bigint): number {
  return (m < 0n ? -m : m).toString().length;
}

function sign(m: bigint): number {
  return m < 0n ? -1 : m > 0n ? 1 : 0;
}

export function compareNumbers(a: RegoNumber, b: RegoNumber): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = decimalOf(a);
  const y = decimalOf(b);
  const sx = sign(x.m);
  const sy = sign(y.m);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  // Same sign: compare magnitudes by order first, so 1e400 vs 1e-400 needs no huge bigint.
  const ox = digits(x.m) + x.e;
  const oy = digits(y.m) + y.e;
  if (ox !== oy) return (ox < oy ? -1 : 1) * sx;
  const e = Math.min(x.e, y.e);
  const mx = x.m * TEN ** BigInt(x.e - e);
  const my = y.m * TEN ** BigInt(y.e - e);
  return mx < my ? -1 : mx > my ? 1 : 0;
}

export function numbersEqual(a: RegoNumber, b: RegoNumber): boolean {
  if (typeof a === 'number') return a === b;
  return b instanceof BigNum && a.m === b.m && a.e === b.e;
}

/** A string that is equal for equal numbers (the invariant makes this cheap). */
export function numberKey(n: RegoNumber): string {
  return typeof n === 'number' ? String(n) : `${n.m}e${n.e}`;
}

function decimalToString(m: bigint, e: number): string {
  if (e >= 0) return e > 400 ? `${m}e${e}` : (m * TEN ** BigInt(e)).toString();
  const neg = m < 0n;
  let s = (neg ? -m : m).toString();
  if (-e > 400) return `${neg ? '-' : ''}${s}e${e}`;
  if (s.length <= -e) s = '0'.repeat(-e - s.length + 1) + s;
  const point = s.length + e;
  return `${neg ? '-' : ''}${s.slice(0, point)}.${s.slice(point)}`;
}

/** Decimal text: integers in full (no exponent), other numbers in their shortest form. */
export function formatNumber(n: RegoNumber): string {
  if (typeof n === 'number') {
    if (Number.isInteger(n) && Math.abs(n) >= 1e21) return decimalToString(...decimalPair(n));
    return String(n);
  }
  return n.toString();
}

function decimalPair(n: number): [bigint, number] {
  const d = decimalOf(n);
  return [d.m, d.e];
}

// ---------------------------------------------------------------------------------------
// Arithmetic. Integers are exact at any size; sums, differences and products of decimals
// are exact too (OPA computes them with big floats, which agrees on every short decimal);
// quotients of non-integers are doubles.

function exactOp(a: RegoNumber, b: RegoNumber, op: (x: Decimal, y: Decimal) => Decimal): RegoNumber {
  const r = op(decimalOf(a), decimalOf(b));
  return makeDecimal(r.m, r.e);
}

function align(x: Decimal, y: Decimal): [bigint, bigint, number] {
  const e = Math.min(x.e, y.e);
  return [x.m * TEN ** BigInt(x.e - e), y.m * TEN ** BigInt(y.e - e), e];
}

export function add(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return exactOp(a, b, (x, y) => {
    const [mx, my, e] = align(x, y);
    return { m: mx + my, e };
  });
}

export function subtract(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return exactOp(a, b, (x, y) => {
    const [mx, my, e] = align(x, y);
    return { m: mx - my, e };
  });
}

export function multiply(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return exactOp(a, b, (x, y) => ({ m: x.m * y.m, e: x.e + y.e }));
}

export class ArithmeticError extends Error {}

export function divide(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (numbersEqual(b, 0)) throw new ArithmeticError('divide by zero');
  const x = toBigInt(a);
  const y = toBigInt(b);
  if (x !== undefined && y !== undefined && x % y === 0n) return fromBigInt(x / y);
  const q = toDouble(a) / toDouble(b);
  if (!Number.isFinite(q)) throw new ArithmeticError('divide by zero');
  return fromJsNumber(q);
}

/** Remainder with the sign of the dividend, integers only (Go's `%`). */
export function remainder(a: RegoNumber, b: RegoNumber): RegoNumber {
  const x = toBigInt(a);
  const y = toBigInt(b);
  if (x === undefined || y === undefined) throw new ArithmeticError('modulo on floating-point number');
  if (y === 0n) throw new ArithmeticError('modulo by zero');
  return fromBigInt(x % y);
}

export function negate(a: RegoNumber): RegoNumber {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return makeDecimal(-a.m, a.e);
}
