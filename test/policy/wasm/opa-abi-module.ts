// A minimal WebAssembly module that speaks OPA's Wasm ABI (docs/content/wasm.md of OPA): it imports
// `env.memory`, `env.opa_abort` and `env.opa_builtin0..4`, exports `builtins` (a JSON object of
// builtin names to ids), `entrypoints`, the evaluation-context functions, `opa_malloc`,
// `opa_json_parse`/`opa_json_dump` and `opa_value_parse`/`opa_value_dump`, and the ABI version
// globals. There is no `opa` here to compile a policy that imports `json.match_schema`,
// `regex.find_n` or `time.parse_ns`, so the tests build this module instead: its `eval` calls one
// builtin through `opa_builtinN` and returns `[{"result": <value>}]` (`[]` when undefined), like
// a policy `result := <builtin>(<args>)` compiled by OPA.
//
// A value is represented by its serialized text, NUL-terminated: parse copies, dump is identity.
// Other `eval` bodies (a loop, an allocation that never stops, `unreachable`) test the limits;
// like OPA's allocator, `opa_malloc` aborts with `opa_malloc: failed` when memory cannot grow.

export type Arg = { readonly text: string } | 'input' | 'data';

export type Body =
  | { readonly kind: 'call'; readonly builtin: string; readonly args: readonly Arg[] }
  | { readonly kind: 'loop' }
  | { readonly kind: 'allocate' }
  | { readonly kind: 'trap' };

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

const bytes = (s: string) => [...new TextEncoder().encode(s)];
const name = (s: string) => [...uleb(bytes(s).length), ...bytes(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];

const I32 = 0x7f;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  gget: (i: number) => [0x23, ...uleb(i)],
  gset: (i: number) => [0x24, ...uleb(i)],
  const: (n: number) => [0x41, ...sleb(n)],
  call: (f: number) => [0x10, ...uleb(f)],
  add: [0x6a],
  eq: [0x46],
  gtU: [0x4b],
  shl: [0x74],
  shrU: [0x76],
  eqz: [0x45],
  load8: [0x2d, 0x00, 0x00],
  store8: [0x3a, 0x00, 0x00],
  memSize: [0x3f, 0x00],
  memGrow: [0x40, 0x00],
  memCopy: [0xfc, 0x0a, 0x00, 0x00],
  ifVoid: [0x04, 0x40],
  ifI32: [0x04, I32],
  else: [0x05],
  end: [0x0b],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  drop: [0x1a],
  unreachable: [0x00],
};

const ARITY_NAMES = ['opa_builtin0', 'opa_builtin1', 'opa_builtin2', 'opa_builtin3', 'opa_builtin4'];

/**
 * The module's bytes, with one entrypoint (id 0). `builtins` maps builtin names to ids, as OPA's
 * `builtins` export does.
 */
export function opaAbiModule(body: Body, entrypoint = 'probe/result'): Uint8Array {
  const builtin = body.kind === 'call' ? body.builtin : 'time.now_ns';
  const builtinsJSON = JSON.stringify({ [builtin]: 0 });
  // Static data: NUL-terminated texts from address 1024.
  const texts: string[] = [
    builtinsJSON,
    JSON.stringify({ [entrypoint]: 0 }),
    '[{"result":',
    '}]',
    '[]',
    'opa_malloc: failed',
  ];
  const args = body.kind === 'call' ? body.args : [];
  for (const a of args) if (typeof a === 'object') texts.push(a.text);
  const addr: number[] = [];
  let at = 1024;
  for (const t of texts) {
    addr.push(at);
    at += bytes(t).length + 1;
  }
  const [BUILTINS, ENTRYPOINTS, PREFIX, SUFFIX, EMPTY, OOM] = addr as [number, number, number, number, number, number];
  const heapStart = Math.ceil(at / 8) * 8 + 64;

  // Types.
  const t = (params: number, result: boolean) => [
    0x60,
    ...vec(Array(params).fill([I32])),
    ...vec(result ? [[I32]] : []),
  ];
  const types = [
    t(1, false),
    t(2, true),
    t(3, true),
    t(4, true),
    t(5, true),
    t(6, true),
    t(0, true),
    t(1, true),
    t(2, false),
  ];
  const T = { i_v: 0, ii_i: 1, iii_i: 2, iiii_i: 3, i5_i: 4, i6_i: 5, v_i: 6, i_i: 7, ii_v: 8 };

  // Imports: memory, then functions 0 (abort) and 1..5 (builtin0..4).
  const imports = [
    [...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(2)],
    [...name('env'), ...name('opa_abort'), 0x00, ...uleb(T.i_v)],
    ...ARITY_NAMES.map((n, i) => [...name('env'), ...name(n), 0x00, ...uleb(T.ii_i + i)]),
  ];
  const ABORT = 0;
  const BUILTIN = (arity: number) => 1 + arity;

  // Globals: 0 heap, 1 input, 2 data, 3 result, 4 ABI version, 5 ABI minor version.
  const global = (mutable: boolean, init: number) => [I32, mutable ? 1 : 0, ...op.const(init), ...op.end];
  const globals = [
    global(true, heapStart),
    global(true, 0),
    global(true, 0),
    global(true, 0),
    global(false, 1),
    global(false, 1),
  ];
  const HEAP = 0;
  const INPUT = 1;
  const DATA = 2;
  const RESULT = 3;

  // Defined functions, from index 6.
  const F = {
    malloc: 6,
    parse: 7,
    identity: 8,
    heapGet: 9,
    heapSet: 10,
    nop1: 11,
    builtins: 12,
    entrypoints: 13,
    ctxNew: 14,
    setInput: 15,
    setData: 16,
    nop2: 17,
    getResult: 18,
    strlen: 19,
    concat3: 20,
    eval: 21,
  };
  const fn = (type: number, locals: number, code: number[]) => ({ type, locals, code });
  const pageBytes = (i: number[]) => [...i, ...op.const(16), ...op.shl];
  const functions = [
    // malloc(n): bump the heap, growing memory; abort when it cannot grow.
    fn(T.i_i, 1, [
      ...op.gget(HEAP),
      ...op.set(1),
      ...op.gget(HEAP),
      ...op.get(0),
      ...op.add,
      ...op.gset(HEAP),
      ...op.gget(HEAP),
      ...pageBytes(op.memSize),
      ...op.gtU,
      ...op.ifVoid,
      ...op.gget(HEAP),
      ...op.const(16),
      ...op.shrU,
      ...op.const(1),
      ...op.add,
      ...op.memSize,
      ...[0x6b], // i32.sub: pages still needed
      ...op.memGrow,
      ...op.const(-1),
      ...op.eq,
      ...op.ifVoid,
      ...op.const(OOM),
      ...op.call(ABORT),
      ...op.unreachable,
      ...op.end,
      ...op.end,
      ...op.get(1),
    ]),
    // parse(addr, len): a NUL-terminated copy.
    fn(T.ii_i, 1, [
      ...op.get(1),
      ...op.const(1),
      ...op.add,
      ...op.call(F.malloc),
      ...op.tee(2),
      ...op.get(0),
      ...op.get(1),
      ...op.memCopy,
      ...op.get(2),
      ...op.get(1),
      ...op.add,
      ...op.const(0),
      ...op.store8,
      ...op.get(2),
    ]),
    fn(T.i_i, 0, op.get(0)),
    fn(T.v_i, 0, op.gget(HEAP)),
    fn(T.i_v, 0, [...op.get(0), ...op.gset(HEAP)]),
    fn(T.i_v, 0, []),
    fn(T.v_i, 0, op.const(BUILTINS)),
    fn(T.v_i, 0, op.const(ENTRYPOINTS)),
    fn(T.v_i, 0, op.const(0)),
    fn(T.ii_v, 0, [...op.get(1), ...op.gset(INPUT)]),
    fn(T.ii_v, 0, [...op.get(1), ...op.gset(DATA)]),
    fn(T.ii_v, 0, []),
    fn(T.i_i, 0, op.gget(RESULT)),
    // strlen(p)
    fn(T.i_i, 1, [
      ...op.get(0),
      ...op.set(1),
      ...op.block,
      ...op.loop,
      ...op.get(1),
      ...op.load8,
      ...op.eqz,
      ...op.brIf(1),
      ...op.get(1),
      ...op.const(1),
      ...op.add,
      ...op.set(1),
      ...op.br(0),
      ...op.end,
      ...op.end,
      ...op.get(1),
      ...op.get(0),
      ...[0x6b],
    ]),
    // concat3(a, b, c): a NUL-terminated a ++ b ++ c. Locals: 3 la, 4 lb, 5 lc, 6 p.
    fn(T.iii_i, 4, [
      ...op.get(0),
      ...op.call(F.strlen),
      ...op.set(3),
      ...op.get(1),
      ...op.call(F.strlen),
      ...op.set(4),
      ...op.get(2),
      ...op.call(F.strlen),
      ...op.set(5),
      ...op.get(3),
      ...op.get(4),
      ...op.add,
      ...op.get(5),
      ...op.add,
      ...op.const(1),
      ...op.add,
      ...op.call(F.malloc),
      ...op.set(6),
      ...op.get(6),
      ...op.get(0),
      ...op.get(3),
      ...op.memCopy,
      ...op.get(6),
      ...op.get(3),
      ...op.add,
      ...op.get(1),
      ...op.get(4),
      ...op.memCopy,
      ...op.get(6),
      ...op.get(3),
      ...op.add,
      ...op.get(4),
      ...op.add,
      ...op.get(2),
      ...op.get(5),
      ...op.memCopy,
      ...op.get(6),
      ...op.get(3),
      ...op.add,
      ...op.get(4),
      ...op.add,
      ...op.get(5),
      ...op.add,
      ...op.const(0),
      ...op.store8,
      ...op.get(6),
    ]),
    fn(T.i_i, 1, evalBody(body, { args: addr.slice(6), F, BUILTIN, INPUT, DATA, RESULT, PREFIX, SUFFIX, EMPTY })),
  ];
  const exports: [string, number, number][] = [
    ['opa_malloc', 0, F.malloc],
    ['opa_json_parse', 0, F.parse],
    ['opa_value_parse', 0, F.parse],
    ['opa_json_dump', 0, F.identity],
    ['opa_value_dump', 0, F.identity],
    ['opa_heap_ptr_get', 0, F.heapGet],
    ['opa_heap_ptr_set', 0, F.heapSet],
    ['opa_free', 0, F.nop1],
    ['builtins', 0, F.builtins],
    ['entrypoints', 0, F.entrypoints],
    ['opa_eval_ctx_new', 0, F.ctxNew],
    ['opa_eval_ctx_set_input', 0, F.setInput],
    ['opa_eval_ctx_set_data', 0, F.setData],
    ['opa_eval_ctx_set_entrypoint', 0, F.nop2],
    ['opa_eval_ctx_get_result', 0, F.getResult],
    ['eval', 0, F.eval],
    ['opa_wasm_abi_version', 3, 4],
    ['opa_wasm_abi_minor_version', 3, 5],
  ];
  const data = texts.flatMap((s) => [...bytes(s), 0]);
  const module = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((f) => uleb(f.type)))),
    ...section(6, vec(globals)),
    ...section(7, vec(exports.map(([n, kind, i]) => [...name(n), kind, ...uleb(i)]))),
    ...section(
      10,
      vec(
        functions.map((f) => {
          const body = [...vec(f.locals > 0 ? [[...uleb(f.locals), I32]] : []), ...f.code, ...op.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
    ...section(11, vec([[0x00, ...op.const(1024), ...op.end, ...uleb(data.length), ...data]])),
  ];
  return new Uint8Array(module);
}

interface Layout {
  readonly args: readonly number[];
  readonly F: { readonly concat3: number; readonly malloc: number };
  readonly BUILTIN: (arity: number) => number;
  readonly INPUT: number;
  readonly DATA: number;
  readonly RESULT: number;
  readonly PREFIX: number;
  readonly SUFFIX: number;
  readonly EMPTY: number;
}

function evalBody(body: Body, l: Layout): number[] {
  if (body.kind === 'loop') return [...op.loop, ...op.br(0), ...op.end, ...op.const(0)];
  if (body.kind === 'trap') return [...op.unreachable];
  if (body.kind === 'allocate')
    return [
      ...op.loop,
      ...op.const(1 << 20),
      ...op.call(l.F.malloc),
      ...op.drop,
      ...op.br(0),
      ...op.end,
      ...op.const(0),
    ];
  let staticIndex = 0;
  const pushArgs = body.args.flatMap((a) =>
    a === 'input' ? op.gget(l.INPUT) : a === 'data' ? op.gget(l.DATA) : op.const(l.args[staticIndex++]!),
  );
  return [
    ...op.const(0), // builtin id
    ...op.const(0), // ctx, reserved
    ...pushArgs,
    ...op.call(l.BUILTIN(body.args.length)),
    ...op.tee(1),
    ...op.eqz,
    ...op.ifI32,
    ...op.const(l.EMPTY),
    ...op.else,
    ...op.const(l.PREFIX),
    ...op.get(1),
    ...op.const(l.SUFFIX),
    ...op.call(l.F.concat3),
    ...op.end,
    ...op.gset(l.RESULT),
    ...op.const(0),
  ];
}
