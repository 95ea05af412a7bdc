// Semantic versions as OPA parses them (its vendored coreos/go-semver): MAJOR.MINOR.PATCH as
// int64s (leading zeros and `+` signs accepted, as strconv.ParseInt does), optional
// -prerelease and +metadata identifiers.
import { valueToString } from '../convert.js';
import { stringArg } from './args.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

interface Version {
  readonly nums: readonly bigint[];
  readonly pre: string;
}

const IDENT = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64 = /^[+-]?\d+$/;

export function parseSemver(text: string): Version | undefined {
  let rest = text;
  const plus = rest.indexOf('+');
  const meta = plus >= 0 ? rest.slice(plus + 1) : '';
  if (plus >= 0) rest = rest.slice(0, plus);
  const dash = rest.indexOf('-');
  const pre = dash >= 0 ? rest.slice(dash + 1) : '';
  if (dash >= 0) rest = rest.slice(0, dash);
  const parts = rest.split('.');
  // SplitN(.., 3): a fourth dot stays in the patch part, which then fails to parse.
  const dotted = parts.length >= 3 ? [parts[0]!, parts[1]!, parts.slice(2).join('.')] : parts;
  if (dotted.length !== 3) return undefined;
  if ((pre !== '' && !IDENT.test(pre)) || (meta !== '' && !IDENT.test(meta))) return undefined;
  const nums: bigint[] = [];
  for (const p of dotted) {
    if (!INT64.test(p)) return undefined;
    const n = BigInt(p);
    if (n < -(1n << 63n) || n >= 1n << 63n) return undefined;
    nums.push(n);
  }
  return { nums, pre };
}

function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i]! > b.nums[i]! ? 1 : -1;
  if (a.pre === '' || b.pre === '') return a.pre === b.pre ? 0 : a.pre === '' ? 1 : -1;
  const xs = a.pre.split('.');
  const ys = b.pre.split('.');
  for (let i = 0; ; i++) {
    if (i >= xs.length) return i >= ys.length ? 0 : -1;
    if (i >= ys.length) return 1;
    const x = xs[i]!;
    const y = ys[i]!;
    const xn = /^[+-]?\d+$/.test(x);
    const yn = /^[+-]?\d+$/.test(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (xn && BigInt(x) !== BigInt(y)) return BigInt(x) > BigInt(y) ? 1 : -1;
    // Equal numbers still compare as text (as the original does): "01" vs "1".
    if (x !== y) return x > y ? 1 : -1;
  }
}

const isValid = declare({
  name: 'semver.is_valid',
  args: [{ name: 'vsn', type: T.any, description: 'input to validate' }],
  result: { name: 'result', type: T.boolean, description: '`true` if `vsn` is a valid SemVer; `false` otherwise' },
  description: 'Validates that the input is a valid SemVer string.',
  categories: ['semver'],
});
implement(isValid, ([v]) => typeof v === 'string' && parseSemver(v) !== undefined);

const compare = declare({
  name: 'semver.compare',
  args: [
    { name: 'a', type: T.string, description: 'first version string' },
    { name: 'b', type: T.string, description: 'second version string' },
  ],
  result: { name: 'result', type: T.number, description: '`-1` if `a < b`; `1` if `a > b`; `0` if `a == b`' },
  description: 'Compares valid SemVer formatted version strings.',
  categories: ['semver'],
});
implement(compare, ([a, b]) => {
  const parse = (v: typeof a, pos: number): Version => {
    const s = stringArg(v, pos);
    const parsed = parseSemver(s);
    if (parsed === undefined)
      throw new BuiltinError(`operand ${pos}: string ${valueToString(s)} is not a valid SemVer`);
    return parsed;
  };
  return compareSemver(parse(a, 1), parse(b, 2));
});
