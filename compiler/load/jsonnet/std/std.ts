// The standard library object: every builtin as a hidden field of `std`, plus `std.thisFile`.
import { sliceHook } from '../evaluate.js';
import { JFunction, JObject, objectOf, Ready, type Thunk } from '../value.js';
import { arrays, slice } from './arrays.js';
import { basics } from './basics.js';
import { manifests } from './manifest.js';
import { type StdContext, objectBuiltins } from './objects.js';
import { parsers } from './parse.js';
import { strings } from './strings.js';

sliceHook.slice = slice;

export type { StdContext };

/** The builtins, one layer shared by every file of an evaluation. */
export function stdLibrary(ctx: StdContext): JObject {
  const all = [...basics, ...strings, ...arrays, ...objectBuiltins(ctx), ...manifests, ...parsers];
  const entries: [string, Thunk][] = all.map((b) => [b.name, new Ready(JFunction.native(b))]);
  entries.push(['pi', new Ready(Math.PI)]);
  return objectOf(entries, 'hidden');
}

/** `std` as a file sees it: the library plus its own `thisFile`. */
export function stdFor(library: JObject, file: string): JObject {
  const own = objectOf([['thisFile', new Ready(file)]], 'hidden');
  return new JObject([...library.layers, ...own.layers]);
}
