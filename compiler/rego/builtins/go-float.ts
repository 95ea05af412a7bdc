// Go's float formatting (strconv.FormatFloat) for the verbs sprintf and friends need: exact
// decimal expansion of the double, rounded half-to-even like Go, never via toFixed (which
// rounds ties up and stops at 100 digits).

interface Digits {
  /** Decimal digits without leading zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to the start of `d`. */
  dp: number;
}

/** The exact decimal value of a finite, non-negative double. */
function exact(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  let text: string;
  let dp: number;
  if (e >= 0) {
    text = (mant << BigInt(e)).toString();
    dp = text.length;
  } else {
    text = (mant * 5n ** BigInt(-e)).toString();
    dp = text.length + e;
  }
  return trimDigits({ d: text, dp });
}

function trimDigits(x: Digits): Digits {
  let d = x.d;
  let dp = x.dp;
  let i = 0;
  while (i < d.length && d[i] === '0') i++;
  d = d.slice(i);
  dp -= i;
  d = d.replace(/0+$/, '');
  return d === '' ? { d: '', dp: 0 } : { d, dp };
}

/** Shortest digits that round-trip (what JS and Go both print by default). */
function shortest(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  const d = mant.replace('.', '');
  return trimDigits({ d, dp: Number(exp) + 1 });
}

/** Round to `n` significant digits, half to even. */
function roundTo(x: Digits, n: number): Digits {
  if (n < 0 || x.d.length <= n) return x;
  const keep = x.d.slice(0, n);
  const rest = x.d.slice(n);
  const first = rest.charCodeAt(0) - 48;
  let up =
    first > 5 || (first === 5 && (/[1-9]/.test(rest.slice(1)) || (n > 0 && (keep.charCodeAt(n - 1) - 48) % 2 === 1)));
  if (first === 5 && n === 0 && !/[1-9]/.test(rest.slice(1))) up = false;
  if (!up) return trimDigits({ d: keep, dp: x.dp });
  // Increment the kept digits.
  const inc = (BigInt(keep === '' ? '0' : keep) + 1n).toString();
  if (keep === '' || inc.length > keep.length) return trimDigits({ d: inc, dp: x.dp + 1 });
  return trimDigits({ d: inc.padStart(keep.length, '0'), dp: x.dp });
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i]! : '0';
}

function fmtE(x: Digits, prec: number, upper: boolean): string {
  const first = x.d === '' ? '0' : x.d[0]!;
  let frac = '';
  const n = prec < 0 ? Math.max(x.d.length - 1, 0) : prec;
  for (let i = 1; i <= n; i++) frac += digitAt(x, i);
  const exp = x.d === '' ? 0 : x.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${first}${frac ? `.${frac}` : ''}${upper ? 'E' : 'e'}${sign}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(x: Digits, prec: number): string {
  let int = '';
  if (x.dp <= 0) int = '0';
  else for (let i = 0; i < x.dp; i++) int += digitAt(x, i);
  const n = prec < 0 ? Math.max(x.d.length - x.dp, 0) : prec;
  let frac = '';
  for (let i = 0; i < n; i++) frac += digitAt(x, x.dp + i);
  return frac ? `${int}.${frac}` : int;
}

/** strconv.FormatFloat(x, verb, prec, 64) for verbs e E f F g G; prec -1 means shortest. */
export function formatFloat(x: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let digs: Digits;
  const short = prec < 0;
  let body: string;
  switch (verb) {
    case 'e':
    case 'E':
      digs = short ? shortest(abs) : roundTo(exact(abs), prec + 1);
      body = fmtE(digs, prec, verb === 'E');
      break;
    case 'f':
    case 'F':
      digs = short ? shortest(abs) : roundFixed(exact(abs), prec);
      body = fmtF(digs, prec);
      break;
    default: {
      let p = prec;
      if (p === 0) p = 1;
      digs = short ? shortest(abs) : roundTo(exact(abs), p);
      let eprec = short ? 6 : p;
      if (!short && eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      const exp = digs.d === '' ? 0 : digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        body = fmtE(digs, short ? -1 : Math.max(Math.min(digs.d.length, p) - 1, 0), verb === 'G');
      } else {
        body = fmtF(digs, short ? -1 : Math.max(Math.min(digs.d.length, p) - digs.dp, 0));
      }
    }
  }
  return neg ? `-${body}` : body;
}

/** Round to `prec` digits after the decimal point. */
function roundFixed(x: Digits, prec: number): Digits {
  const n = x.dp + prec;
  if (n < 0) return { d: '', dp: 0 };
  return roundTo(x, n);
}

/** %b: decimal mantissa and binary exponent, `4503599627370496p-52`. */
export function formatFloatBinary(x: number): string {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
  let e = -1074;
  if (bexp !== 0) {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  return `${x < 0 ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

/** %x / %X: hexadecimal mantissa and binary exponent, `0x1.91eb851eb851fp+01`. */
export function formatFloatHex(x: number, prec: number, upper: boolean): string {
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let out: string;
  if (abs === 0) out = `0x0${prec > 0 ? `.${'0'.repeat(prec)}` : ''}p+00`;
  else {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, abs);
    const hi = buf.getUint32(0);
    const bexp = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
    let exp = bexp - 1023;
    if (bexp === 0) {
      // Subnormal: normalize so the leading bit is 1.
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
    }
    let frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
    let lead = 1n;
    if (prec >= 0 && prec < 13) {
      // Round half to even on the hex digits.
      const full = (lead << 52n) | BigInt(`0x${frac}`);
      const shift = BigInt((13 - prec) * 4);
      let q = full >> shift;
      const r = full & ((1n << shift) - 1n);
      const half = 1n << (shift - 1n);
      if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
      if (q >> BigInt(prec * 4) >= 2n) {
        q >>= 1n;
        exp++;
      }
      lead = q >> BigInt(prec * 4);
      frac = prec === 0 ? '' : (q & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, '0');
    } else {
      frac = frac.replace(/0+$/, '');
      if (prec > 13) frac = frac.padEnd(prec, '0');
    }
    const sign = exp < 0 ? '-' : '+';
    const a = Math.abs(exp);
    out = `0x${lead}${frac ? `.${frac}` : ''}p${sign}${a < 10 ? '0' : ''}${a}`;
  }
  if (upper) out = out.toUpperCase();
  return neg ? `-${out}` : out;
}
