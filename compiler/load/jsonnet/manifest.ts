// Manifestation: a value made concrete. To plain data (what the loader uses) and to JSON text,
// both as the `jsonnet` command prints it and as std.manifestJsonEx writes it. Objects give
// their visible fields in sorted order; functions cannot be manifested.
import type { Loc } from './errors.js';
import { checkAsserts, fieldLoc, getField, visibleFields } from './objects.js';
import { escapeJson, numberToString } from './ops.js';
import { checkStringLength, frameDepth, popFrames, pushFrame, runtimeError, step } from './runtime.js';
import { JArray, JFunction, JObject, type Value } from './value.js';

export type Path = (string | number)[];

export const pathText = (path: Path): string =>
  path.length === 0 ? '[ ]' : `[${path.map((p) => (typeof p === 'string' ? escapeJson(p) : String(p))).join(', ')}]`;

/** Each level of nesting is a frame, so a self-referencing value stops at the stack limit. */
function nested<T>(loc: Loc, body: () => T): T {
  const depth = frameDepth();
  pushFrame(loc, 'During manifestation');
  const v = body();
  popFrames(depth);
  return v;
}

/**
 * A value as plain JavaScript data: what JSON.parse of its manifestation would give. Its
 * strings may total MAX_STRING_LENGTH characters: whatever uses the data next would otherwise
 * hold (and copy) all of them.
 */
export function toPlain(value: Value, start: Loc): unknown {
  let chars = 0;
  const plain = (v: Value, loc: Loc): unknown => {
    step(loc);
    if (typeof v === 'string') {
      chars += v.length;
      checkStringLength(chars, loc);
    }
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof JArray) return nested(loc, () => v.items.map((t) => plain(t.force(), loc)));
    if (v instanceof JObject) {
      checkAsserts(v);
      return nested(loc, () => {
        const out: Record<string, unknown> = {};
        for (const name of visibleFields(v)) {
          const at = fieldLoc(v, name, loc);
          chars += name.length;
          // `__proto__` is data here, not the prototype.
          const field = {
            value: plain(getField(v, name, at)!, at),
            enumerable: true,
            writable: true,
            configurable: true,
          };
          Object.defineProperty(out, name, field);
        }
        return out;
      });
    }
    throw runtimeError("couldn't manifest function in JSON output.", loc);
  };
  return plain(value, start);
}

/** JSON text as the `jsonnet` command prints it: three-space indentation, `{ }` when empty. */
export function toJsonText(v: Value, loc: Loc, indent = ''): string {
  step(loc);
  if (v instanceof JArray) {
    if (v.length === 0) return '[ ]';
    const inner = `${indent}   `;
    return nested(
      loc,
      () => `[\n${v.items.map((t) => inner + toJsonText(t.force(), loc, inner)).join(',\n')}\n${indent}]`,
    );
  }
  if (v instanceof JObject) {
    checkAsserts(v);
    const names = visibleFields(v);
    if (names.length === 0) return '{ }';
    const inner = `${indent}   `;
    return nested(loc, () => {
      const lines = names.map((n) => {
        const at = fieldLoc(v, n, loc);
        return `${inner}${escapeJson(n)}: ${toJsonText(getField(v, n, at)!, at, inner)}`;
      });
      return `{\n${lines.join(',\n')}\n${indent}}`;
    });
  }
  return scalarJson(v, loc, []);
}

export function scalarJson(v: Value, loc: Loc, path: Path): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'string') return escapeJson(v);
  if (v instanceof JFunction) throw runtimeError(`Tried to manifest function at ${pathText(path)}`, loc);
  throw runtimeError("couldn't manifest function in JSON output.", loc);
}

/** std.manifestJsonEx: the given indentation, newline and key-value separator. */
export function manifestJsonEx(v: Value, indent: string, newline: string, sep: string, loc: Loc): string {
  const render = (x: Value, cur: string, path: Path): string => {
    step(loc);
    if (x instanceof JArray) {
      const inner = cur + indent;
      return nested(loc, () => {
        const lines = x.items.map((t, i) => inner + render(t.force(), inner, [...path, i]));
        return `[${newline}${lines.join(`,${newline}`)}${newline}${cur}]`;
      });
    }
    if (x instanceof JObject) {
      checkAsserts(x);
      const inner = cur + indent;
      return nested(loc, () => {
        const lines = visibleFields(x).map(
          (n) => `${inner}${escapeJson(n)}${sep}${render(getField(x, n, loc)!, inner, [...path, n])}`,
        );
        return `{${newline}${lines.join(`,${newline}`)}${newline}${cur}}`;
      });
    }
    return scalarJson(x, loc, path);
  };
  return render(v, '', []);
}
