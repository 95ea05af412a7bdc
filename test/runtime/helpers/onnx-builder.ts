// Builds small ONNX models in the tests, so no model file is downloaded or checked in. The
// protobuf schema below is the subset of onnx.proto (field numbers as in the ONNX repository)
// that these models need.
import protobuf from 'protobufjs';

const ONNX_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  optional string name = 1;
  optional int32 type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}
message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
}
message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  repeated double double_data = 10 [packed = true];
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
}
message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}
message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}
message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

const ModelProto = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');

export type Elem = 'float' | 'double' | 'int32' | 'int64' | 'bool' | 'string';
const ELEM: Record<Elem, number> = { float: 1, int32: 6, int64: 7, string: 8, bool: 9, double: 11 };

export interface ValueInfo {
  readonly name: string;
  readonly elem: Elem;
  /** Numbers are fixed sizes, strings symbolic ones (the batch). */
  readonly shape: readonly (number | string)[];
}

export type Attr =
  | { f: number }
  | { i: number }
  | { s: string }
  | { floats: readonly number[] }
  | { ints: readonly number[] }
  | { strings: readonly string[] };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly domain?: string;
  readonly attrs?: Readonly<Record<string, Attr>>;
}

export interface Initializer {
  readonly name: string;
  readonly elem: 'float' | 'double' | 'int64' | 'int32';
  readonly dims: readonly number[];
  readonly values: readonly number[];
  /**
   * Stored outside the model (ONNX external data): the values are left out of the protobuf and
   * the tensor names this file (relative to the model's folder) at this byte offset.
   */
  readonly external?: { readonly location: string; readonly offset: number };
}

export interface GraphSpec {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly Initializer[];
  /** Default: the standard domain at opset 13, plus ai.onnx.ml 3 when a node uses it. */
  readonly opsets?: readonly { domain: string; version: number }[];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function valueInfo(v: ValueInfo) {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEM[v.elem],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, a: Attr) {
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('s' in a) return { name, type: 3, s: utf8(a.s) };
  if ('floats' in a) return { name, type: 6, floats: [...a.floats] };
  if ('ints' in a) return { name, type: 7, ints: [...a.ints] };
  return { name, type: 8, strings: a.strings.map(utf8) };
}

function initializer(t: Initializer) {
  if (t.external) {
    const length = t.values.length * (t.elem === 'float' || t.elem === 'int32' ? 4 : 8);
    return {
      name: t.name,
      dims: [...t.dims],
      dataType: ELEM[t.elem],
      dataLocation: 1, // EXTERNAL
      externalData: [
        { key: 'location', value: t.external.location },
        { key: 'offset', value: String(t.external.offset) },
        { key: 'length', value: String(length) },
      ],
    };
  }
  const data =
    t.elem === 'float'
      ? { floatData: [...t.values] }
      : t.elem === 'double'
        ? { doubleData: [...t.values] }
        : t.elem === 'int32'
          ? { int32Data: [...t.values] }
          : { int64Data: [...t.values] };
  return { name: t.name, dims: [...t.dims], dataType: ELEM[t.elem], ...data };
}

export function buildModel(spec: GraphSpec): Uint8Array {
  const usesMl = spec.nodes.some((n) => n.domain === 'ai.onnx.ml');
  const opsets = spec.opsets ?? [
    { domain: '', version: 13 },
    ...(usesMl ? [{ domain: 'ai.onnx.ml', version: 3 }] : []),
  ];
  const model = {
    irVersion: 8,
    producerName: 'mlspec-tests',
    opsetImport: opsets,
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({
        name: `n${i}`,
        opType: n.op,
        input: [...n.inputs],
        output: [...n.outputs],
        ...(n.domain ? { domain: n.domain } : {}),
        attribute: Object.entries(n.attrs ?? {}).map(([k, a]) => attribute(k, a)),
      })),
      initializer: (spec.initializers ?? []).map(initializer),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`invalid ONNX model description: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
