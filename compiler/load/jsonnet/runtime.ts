// The state of one evaluation: its limits (deadline, stack depth, memory) and the stack of
// frames that locates runtime errors. Evaluation is synchronous and runs to the end, so one
// evaluation is active at a time; `withRun` installs it and restores the previous one.
import { getHeapStatistics } from 'node:v8';
import type { Node } from './ast.js';
import { formatLoc, JsonnetError, type Loc, shorten } from './errors.js';
import type { Env, Value } from './value.js';

export interface Limits {
  /** Wall-clock milliseconds for the whole evaluation. */
  readonly timeoutMs: number;
  /** Jsonnet stack frames (calls, fields, lazy values being computed), as `jsonnet --max-stack`. */
  readonly maxStack: number;
  /** Bytes the JavaScript heap may grow by during the evaluation. */
  readonly heapBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 10_000,
  maxStack: 500,
  heapBytes: 1024 * 1024 * 1024,
};

/** Longest string a program may build: far beyond any configuration, well below V8's limit. */
export const MAX_STRING_LENGTH = 64 * 1024 * 1024;
/** Longest array a program may build (a configuration has thousands of elements, not millions). */
export const MAX_ARRAY_LENGTH = 16 * 1024 * 1024;
/** Steps between two looks at the clock, and clock looks between two looks at the heap. */
const STEPS_PER_CHECK = 1024;
const CHECKS_PER_HEAP_SAMPLE = 32;
/** Bytes of large allocations between two looks at the heap. */
const RESAMPLE_BYTES = 64 * 1024 * 1024;
/** What one lazy array element costs, roughly, for the memory estimate of large arrays. */
export const BYTES_PER_ELEMENT = 48;

/**
 * The evaluator registers itself here: objects and thunks evaluate expressions through it (the
 * evaluator builds on them, so they cannot import it).
 */
export const hooks: {
  evaluate: (node: Node, env: Env) => Value;
  /** `a + b`, for `+:` fields. */
  add: (a: Value, b: Value, loc: Loc) => Value;
  /** The text of an `error` or assertion message: strings as they are, other values as JSON. */
  messageText: (v: Value) => string;
} = {
  evaluate: notLoaded,
  add: notLoaded,
  messageText: notLoaded,
};

function notLoaded(): never {
  throw new Error('the Jsonnet evaluator is not loaded');
}

class Run {
  steps = 0;
  nextCheck = STEPS_PER_CHECK;
  checks = 0;
  readonly deadline: number;
  readonly heapLimit: number;
  heapSample: number;
  /** Bytes promised to large allocations since the last heap sample. */
  reserved = 0;
  /** Innermost last: where each frame was entered, and what it is. */
  readonly frameLocs: Loc[] = [];
  readonly frameNames: string[] = [];

  constructor(readonly limits: Limits) {
    this.deadline = performance.now() + limits.timeoutMs;
    this.heapSample = getHeapStatistics().used_heap_size;
    this.heapLimit = this.heapSample + limits.heapBytes;
  }
}

let run = new Run(DEFAULT_LIMITS);

export function withRun<T>(limits: Limits, body: () => T): T {
  const previous = run;
  run = new Run(limits);
  try {
    return body();
  } finally {
    run = previous;
  }
}

/** Count one evaluation step; now and then look at the clock and the heap. */
export function step(loc: Loc): void {
  if (++run.steps >= run.nextCheck) check(loc);
}

/** Count `n` steps of native work (a long loop in the standard library). */
export function work(n: number, loc: Loc): void {
  run.steps += n;
  if (run.steps >= run.nextCheck) check(loc);
}

function check(loc: Loc): void {
  run.nextCheck = run.steps + STEPS_PER_CHECK;
  if (performance.now() > run.deadline) {
    throw new JsonnetError('timeout', 'evaluation did not finish in time', loc, trace(loc));
  }
  if (++run.checks % CHECKS_PER_HEAP_SAMPLE === 0) {
    run.heapSample = getHeapStatistics().used_heap_size;
    run.reserved = 0;
    if (run.heapSample > run.heapLimit) throw memoryError(loc);
  }
}

function memoryError(loc: Loc): JsonnetError {
  const mib = Math.round(run.limits.heapBytes / 1024 / 1024);
  return new JsonnetError('memory', `evaluation needs more than ${mib} MiB of memory`, loc, trace(loc));
}

/** Refuse, before building it, a value whose size would take the heap past its budget. */
export function reserve(bytes: number, loc: Loc): void {
  run.reserved += bytes;
  // Much promised since the last look: look again, the garbage collector may have freed some.
  if (run.reserved > RESAMPLE_BYTES) {
    run.heapSample = getHeapStatistics().used_heap_size;
    run.reserved = bytes;
  }
  if (run.heapSample + run.reserved > run.heapLimit) throw memoryError(loc);
}

function tooLong(what: string, length: number, limit: number, loc: Loc): JsonnetError {
  return new JsonnetError('memory', `${what} of ${length} is longer than the limit of ${limit}`, loc, trace(loc));
}

/** A string result longer than MAX_STRING_LENGTH is refused before it is built. */
export function checkStringLength(length: number, loc: Loc): void {
  if (length > MAX_STRING_LENGTH) throw tooLong('string length', length, MAX_STRING_LENGTH, loc);
}

/** An array result longer than MAX_ARRAY_LENGTH is refused before it is built; building it is work. */
export function checkArrayLength(length: number, loc: Loc): void {
  if (length > MAX_ARRAY_LENGTH) throw tooLong('array length', length, MAX_ARRAY_LENGTH, loc);
  if (length > 4096) {
    reserve(length * BYTES_PER_ELEMENT, loc);
    work(length, loc);
  }
}

export function pushFrame(loc: Loc, name: string): void {
  if (run.frameLocs.length >= run.limits.maxStack) {
    throw new JsonnetError('stack', 'max stack frames exceeded.', loc, trace(loc));
  }
  run.frameLocs.push(loc);
  run.frameNames.push(name);
}

export function frameDepth(): number {
  return run.frameLocs.length;
}

/** Drop the frames above `depth` (after a call returns, or a tail call replaces the frame). */
export function popFrames(depth: number): void {
  run.frameLocs.length = depth;
  run.frameNames.length = depth;
}

/** Replace the innermost frame: a tail call with `tailstrict` reuses its caller's frame. */
export function replaceFrame(loc: Loc, name: string): void {
  const top = run.frameLocs.length - 1;
  run.frameLocs[top] = loc;
  run.frameNames[top] = name;
}

const MAX_TRACE = 10;

/** Where the evaluation is: the error's position, then each frame's entry, innermost first. */
export function trace(loc: Loc): string[] {
  const locs = run.frameLocs;
  const names = run.frameNames;
  const out = [`${formatLoc(loc)}\t${names[names.length - 1] ?? ''}`];
  let last = formatLoc(loc);
  for (let i = locs.length - 1; i >= 0 && out.length < MAX_TRACE; i--) {
    const at = formatLoc(locs[i]!);
    if (at !== last) out.push(`${at}\t${names[i - 1] ?? ''}`);
    last = at;
  }
  if (locs.length >= MAX_TRACE) out.push('...');
  return out;
}

export function runtimeError(text: string, loc: Loc): JsonnetError {
  return new JsonnetError('runtime', text, loc, trace(loc));
}

/** A value quoted in a message, cut short. */
export const quote = (s: string): string => shorten(JSON.stringify(s));

/** A JavaScript limit hit inside the evaluator (stack, string or array size) as a Jsonnet error. */
export function fromRangeError(e: RangeError, fallback: Loc): JsonnetError {
  const locs = run.frameLocs;
  const loc = locs[locs.length - 1] ?? fallback;
  if (/call stack/i.test(e.message)) {
    return new JsonnetError('stack', 'max stack frames exceeded (the evaluation nests too deeply).', loc, trace(loc));
  }
  return new JsonnetError('memory', `value too large: ${e.message}`, loc, trace(loc));
}
