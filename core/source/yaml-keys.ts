// Which keys of a YAML map are the same key. mlspec reads YAML 1.2 and keys as strings, so
// `true:` and `"true":` are one key (`true`), as are `1:` and `"1":`; under YAML 1.1, which
// many tools and people still read by, `on:`, `yes:` and `y:` are `true` too, and `010:` is 8.
// A key that is the same as an earlier one of its map under either reading is an error at both
// places: otherwise the later would silently replace the earlier (a tier of 64 CPUs rendered
// with the other definition's 100m).
import { parse, type Scalar } from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { quote } from '../diagnostics/quote.js';

/** Plain scalars that YAML 1.1 may read differently from 1.2: numbers in other notations, yes/no/on/off. */
const YAML_11_CANDIDATE = /^(?:[-+.]?[0-9].*|[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The key as YAML 1.1 reads it, when that differs from the 1.2 reading. */
function yaml11Reading(node: Scalar, key: string): string | undefined {
  if (node.type !== 'PLAIN' || typeof node.source !== 'string' || !YAML_11_CANDIDATE.test(node.source)) return;
  let value: unknown;
  try {
    value = parse(node.source, { version: '1.1' });
  } catch {
    return;
  }
  const read = typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  return read === key ? undefined : read;
}

interface SeenKey {
  readonly text: string;
  readonly at: SourceLocation;
}

/** The keys of one map, in order. */
export class MapKeys {
  /** Every reading of every key so far. */
  private readonly seen = new Map<string, SeenKey>();
  /** The keys as mlspec reads them (YAML 1.2). */
  private readonly keys = new Set<string>();

  /**
   * Record a key: `key` as mlspec reads it, `text` as written. Returns the errors (at both
   * keys) when it is the same as an earlier key, else nothing.
   */
  add(node: Scalar, key: string, text: string, at: SourceLocation): Diagnostic[] {
    const readings = [key, yaml11Reading(node, key)].filter((r): r is string => r !== undefined);
    const earlier = readings.map((r) => this.seen.get(r)).find((s) => s !== undefined);
    if (earlier) return duplicate(earlier, { text, at }, this.keys.has(key) ? '1.2' : '1.1');
    for (const r of readings) this.seen.set(r, { text, at });
    this.keys.add(key);
    return [];
  }
}

function duplicate(first: SeenKey, second: SeenKey, reading: '1.1' | '1.2'): Diagnostic[] {
  const same = first.text === second.text ? '' : reading === '1.2' ? ' (both read as one string)' : ' (in YAML 1.1)';
  const hint =
    'Remove or rename one of the two keys; otherwise the later one silently replaces the earlier. ' +
    'Quote keys such as `"on"` or `"010"` that YAML 1.1 reads as true or a number.';
  return [
    error('duplicate_key', `key ${quote(first.text)} is repeated at line ${second.at.line}${same}`, {
      location: first.at,
      hint,
    }),
    error(
      'duplicate_key',
      `duplicate key ${quote(second.text)}: the same key as ${quote(first.text)} at line ${first.at.line}${same}`,
      { location: second.at, hint },
    ),
  ];
}
