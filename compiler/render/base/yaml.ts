// The one YAML writer for everything mlspec generates (manifests, kustomizations, embedded
// config files). It writes JSON data only (objects, arrays, strings, finite numbers, booleans,
// null), keeping key order, so the text depends on the data alone: no anchors, no folding.
//
// A string is written plain only when every YAML reader takes it back as the same string.
// Kubernetes tooling (sigs.k8s.io/yaml, kustomize) still follows YAML 1.1, where `on`, `yes`,
// `n`, `0755`, `1:30` and `2026-11-01` are not strings, so those are quoted like YAML 1.2's
// special values. Short lists of scalars go on one line (`drop: [ALL]`, bin edges); multi-line
// strings become literal blocks. A general YAML library was 4x slower for the same text, which
// mattered for compiling hundreds of systems.

/** Longest list (sum of item lengths plus separators) still written on one line. */
const FLOW_MAX = 100;

const SPECIAL = [
  /^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|=|<<)$/,
  /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];
/** Anything shaped like a YAML 1.1 or 1.2 number (ints, floats, hex, octal, binary, sexagesimal). */
const NUMBERISH = /^[-+]?\.?[0-9][0-9a-fA-FxXoObB._:]*([eE][-+]?[0-9]+)?$/;
/** Loose YAML 1.1 float shapes (every part optional): `.`, `+`, `E0`, `1_0`, `.5e3`. */
const LOOSE_FLOAT = /^[-+]?[0-9._:]*([eE][-+]?[0-9]+)?$/;
const FIRST_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
// Printable characters only (YAML forbids C0/C1 controls other than tab and newline).
const NON_PRINTABLE = new RegExp(
  [
    '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufeff\\ufffe\\uffff]',
    // A surrogate without its other half.
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])',
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
);

/** `--config`, `-v`: a dash then a letter-like character reads back as a string. */
function dashOption(s: string): boolean {
  if (s[0] !== '-' || s.length < 2 || s.startsWith('---')) return false;
  const next = s[1] === '-' ? s[2] : s[1];
  return next !== undefined && /[^\s0-9.-]/.test(next);
}

/** Line breaks in YAML 1.1 besides \n and \r: never left raw. */
const ODD_BREAKS = /[\u0085\u2028\u2029]/;

/** Most strings (names, labels, paths): letters first, then name characters. */
const SIMPLE = /^[A-Za-z/][A-Za-z0-9._/-]*$/;
const SPECIAL_WORDS = new Set([
  'null',
  'Null',
  'NULL',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
]);

function plainSafe(s: string, flow: boolean): boolean {
  if (SIMPLE.test(s)) return !SPECIAL_WORDS.has(s) && !LOOSE_FLOAT.test(s); // `e0` is a 1.1 float
  if (s === '' || s.trim() !== s || /[\n\r\t]/.test(s) || NON_PRINTABLE.test(s) || ODD_BREAKS.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (FIRST_INDICATOR.test(s) && !dashOption(s)) return false;
  if (flow && /[,[\]{}:#]/.test(s)) return false;
  if (NUMBERISH.test(s) || LOOSE_FLOAT.test(s)) return false;
  return !SPECIAL.some((re) => re.test(s));
}

function quoted(s: string): string {
  // JSON escapes are a subset of YAML's double-quoted escapes; JSON leaves a few characters
  // raw that YAML 1.1 would read as line breaks or reject, so those are escaped too.
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function scalar(value: unknown, flow = false): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`internal: cannot write ${value} as YAML`);
    const text = Object.is(value, -0) ? '0' : String(value);
    // YAML 1.1 reads an exponent without a decimal point as a string: `1e-7` → `1.0e-7`.
    return /e/.test(text) && !text.includes('.') ? text.replace('e', '.0e') : text;
  }
  if (typeof value === 'string') return plainSafe(value, flow) ? value : quoted(value);
  throw new Error(`internal: cannot write a ${typeof value} as YAML`);
}

/** `|` / `|-` block for multi-line text that reads back exactly; undefined when not possible. */
function literalBlock(s: string, indent: string): string | undefined {
  if (
    !s.includes('\n') ||
    NON_PRINTABLE.test(s) ||
    ODD_BREAKS.test(s) ||
    s.includes('\r') ||
    s.includes('\t') ||
    /^[ \n]/.test(s)
  )
    return undefined;
  let body = s;
  let chomp = '-';
  if (s.endsWith('\n')) {
    if (s.endsWith('\n\n')) return undefined;
    body = s.slice(0, -1);
    chomp = '';
  }
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function flowList(items: readonly unknown[]): string | undefined {
  let width = 0;
  const parts: string[] = [];
  for (const item of items) {
    if (item !== null && typeof item === 'object') return undefined;
    if (typeof item === 'string' && item.includes('\n')) return undefined;
    const text = scalar(item, true);
    width += text.length + 2;
    parts.push(text);
  }
  return width <= FLOW_MAX ? `[${parts.join(', ')}]` : undefined;
}

/** The text after `key:` or `- ` for a value: ` scalar`, or a newline and an indented block. */
function valueAfter(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    const flow = value.length === 0 ? '[]' : flowList(value);
    if (flow !== undefined) out.push(` ${flow}\n`);
    else {
      out.push('\n');
      writeList(value, `${indent}  `, out);
    }
  } else if (isObject(value)) {
    if (Object.keys(value).length === 0) out.push(' {}\n');
    else {
      out.push('\n');
      writeMap(value, `${indent}  `, out);
    }
  } else if (typeof value === 'string' && value.includes('\n')) {
    out.push(` ${literalBlock(value, `${indent}  `) ?? quoted(value)}\n`);
  } else out.push(` ${scalar(value)}\n`);
}

function writeMap(map: Record<string, unknown>, indent: string, out: string[], firstPrefix?: string): void {
  let first = true;
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    out.push(first && firstPrefix !== undefined ? firstPrefix : indent, scalar(key), ':');
    first = false;
    valueAfter(value, indent, out);
  }
}

function writeList(list: readonly unknown[], indent: string, out: string[]): void {
  for (const item of list) {
    if (isObject(item) && Object.keys(item).length > 0) {
      // `- key: value`, the other keys aligned under the first.
      writeMap(item, `${indent}  `, out, `${indent}- `);
    } else if (Array.isArray(item) && item.length > 0 && flowList(item) === undefined) {
      out.push(`${indent}-\n`);
      writeList(item, `${indent}  `, out);
    } else {
      out.push(`${indent}-`);
      valueAfter(item, indent, out);
    }
  }
}

export function toYaml(value: unknown): string {
  const out: string[] = [];
  if (isObject(value) && Object.keys(value).length > 0) writeMap(value, '', out);
  else if (Array.isArray(value) && value.length > 0) writeList(value, '', out);
  else {
    valueAfter(value, '', out);
    return out.join('').slice(1);
  }
  return out.join('');
}
