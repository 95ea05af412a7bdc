// units.parse ("10Ki", "500m" → numbers) and units.parse_bytes ("10GB" → integer bytes), with
// OPA's parsing rules and messages. Arithmetic is exact (a decimal times an integer factor).
import { fromBigInt, parseNumber, type RegoNumber } from '../number.js';
import { stringArg } from './args.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

const K = 1000n;
const decimalUnits: Record<string, bigint> = { k: K, m: K ** 2n, g: K ** 3n, t: K ** 4n, p: K ** 5n, e: K ** 6n };
const binaryUnits: Record<string, bigint> = {
  k: 1n << 10n,
  m: 1n << 20n,
  g: 1n << 30n,
  t: 1n << 40n,
  p: 1n << 50n,
  e: 1n << 60n,
};

const MAX_EXPONENT_DIGITS = 6;

/** Splits `10.5e3KiB` into the number `10.5e3` and the unit `KiB`; `undefined` when the
 * exponent is absurdly long. */
function splitNumberAndUnit(s: string): [string, string] | undefined {
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!isDigit(c) && c !== '.' && c !== 'e' && c !== 'E' && c !== '+' && c !== '-')
      return [s.slice(0, i), s.slice(i)];
    if (c === 'e' || c === 'E') {
      const next = s[i + 1];
      if (next === undefined || (!isDigit(next) && next !== '+' && next !== '-')) return [s.slice(0, i), s.slice(i)];
      if (next === '+' || next === '-') i++;
      let end = i + 1;
      while (isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return undefined;
    }
  }
  return [s, ''];
}

/** An exact decimal `m × 10^e` from number text as Go's big.Rat/big.Float accept it. */
function parseAmount(text: string): { m: bigint; e: number } | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, int = '', frac = '', exp] = match;
  if (int === '' && frac === '') return undefined;
  const m = BigInt(sign + (int + frac || '0'));
  return { m, e: (exp ? Number(exp) : 0) - frac.length };
}

function scaled(amount: { m: bigint; e: number }, factor: bigint, divisor = 1n): { num: bigint; den: bigint } {
  let num = amount.m * factor;
  let den = divisor;
  if (amount.e >= 0) num *= 10n ** BigInt(amount.e);
  else den *= 10n ** BigInt(-amount.e);
  return { num, den };
}

const unitsParse = declare({
  name: 'units.parse',
  args: [{ name: 'x', type: T.string, description: 'the unit to parse' }],
  result: { name: 'y', type: T.number, description: 'the parsed number' },
  description:
    'Converts strings like "10G", "5K", "4M", "1500m", and the like into a number.\nThis number can be a ' +
    'non-integer, such as 1.5, 0.22, etc. Scientific notation is supported,\nallowing values such as "1e-3K" ' +
    '(1) or "2.5e6M" (2.5 million M).\n\nSupports standard metric decimal and binary SI units (e.g., K, Ki, M, ' +
    'Mi, G, Gi, etc.) where\nm, K, M, G, T, P, and E are treated as decimal units and Ki, Mi, Gi, Ti, Pi, and ' +
    "Ei are treated as\nbinary units.\n\nNote that 'm' and 'M' are case-sensitive to allow distinguishing " +
    'between "milli" and "mega" units\nrespectively. Other units are case-insensitive.',
  categories: ['units'],
});

implement(unitsParse, ([x]) => {
  // OPA's messages carry the builtin name themselves (so it appears twice in the final error).
  const fail = (msg: string) => new BuiltinError(`units.parse: ${msg}`);
  const s = stringArg(x, 1).replaceAll('"', '');
  if (s.includes(' ')) throw fail('spaces not allowed in resource strings');
  const parts = splitNumberAndUnit(s);
  if (parts === undefined) throw fail('exponent too large');
  const [num, rawUnit] = parts;
  if (num === '') throw fail('no amount provided');
  // Only the letters after the first are case-insensitive, so `m` (milli) differs from `M`.
  const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit;
  let factor = 1n;
  let divisor = 1n;
  if (unit === 'm') divisor = 1000n;
  else if (unit === 'M') factor = decimalUnits.m!;
  else if (unit !== '') {
    const letter = unit[0]!.toLowerCase();
    const binary = unit.length === 2 && unit[1] === 'i';
    const table = binary ? binaryUnits : decimalUnits;
    if ((unit.length !== 1 && !binary) || table[letter] === undefined || (letter === 'm' && !binary))
      throw fail(`unit ${unit} not recognized`);
    factor = table[letter]!;
  }
  const amount = parseAmount(num);
  if (amount === undefined) throw fail('could not parse amount to a number');
  const { num: n, den } = scaled(amount, factor, divisor);
  if (n % den === 0n) return fromBigInt(n / den);
  return roundedDecimal(n, den, 10);
});

/** n/den rounded to `places` decimals (half away from zero, as big.Rat.FloatString). */
function roundedDecimal(n: bigint, den: bigint, places: number): RegoNumber {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const scale = 10n ** BigInt(places);
  let q = (abs * scale) / den;
  const r = (abs * scale) % den;
  if (2n * r >= den) q += 1n;
  const digits = q.toString().padStart(places + 1, '0');
  const text = `${neg ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return parseNumber(text)!;
}

const parseBytes = declare({
  name: 'units.parse_bytes',
  args: [{ name: 'x', type: T.string, description: 'the byte unit to parse' }],
  result: { name: 'y', type: T.number, description: 'the parsed number' },
  description:
    'Converts strings like "10GB", "5K", "4mb", or "1e6KB" into an integer number of bytes.\n\nSupports ' +
    'standard byte units (e.g., KB, KiB, etc.) where KB, MB, GB, and TB are treated as decimal\nunits, and ' +
    'KiB, MiB, GiB, and TiB are treated as binary units. Scientific notation is supported,\nenabling values ' +
    'like "1.5e3MB" (1500MB) or "2e6GiB" (2 million GiB).\n\nThe bytes symbol (b/B) in the unit is optional; ' +
    'omitting it will yield the same result (e.g., "Mi"\nand "MiB" are equivalent).',
  categories: ['units'],
});

implement(parseBytes, ([x]) => {
  const fail = (msg: string) => new BuiltinError(`units.parse_bytes: ${msg}`);
  const s = stringArg(x, 1).toLowerCase().replaceAll('"', '');
  if (s.includes(' ')) throw fail('spaces not allowed in resource strings');
  const parts = splitNumberAndUnit(s);
  if (parts === undefined) throw fail('exponent too large');
  const [num, unit] = parts;
  if (num === '') throw fail('no byte amount provided');
  let factor = 1n;
  if (unit !== '') {
    const m = /^([kmgtpe])(i?)b?$/.exec(unit);
    if (!m) throw fail(`byte unit ${unit} not recognized`);
    factor = (m[2] ? binaryUnits : decimalUnits)[m[1]!]!;
  }
  const amount = parseAmount(num);
  if (amount === undefined) throw fail('could not parse byte amount to a number');
  const { num: n, den } = scaled(amount, factor);
  return fromBigInt(n / den); // truncated towards zero, as big.Float.Int
});
