// The configured signature, indexed once per config for the request path: inputs by name, and
// for every feature the input and column it lives in. Inputs without a feature list (token ids,
// sequences) have no columns: they are taken whole.
import type { OutputTensor, ServedInput } from '../contract/tensor.js';
import type { RuntimeConfig } from '../contract/config.js';

export interface FeatureSlot {
  readonly input: ServedInput;
  /** Column in the last dimension. */
  readonly column: number;
  /** Columns per row (the number of features of that input). */
  readonly width: number;
}

export interface Signature {
  readonly modelName: string;
  readonly inputs: readonly ServedInput[];
  readonly inputsByName: ReadonlyMap<string, ServedInput>;
  readonly outputs: readonly OutputTensor[];
  readonly outputNames: ReadonlySet<string>;
  /** The same names in config order: what a response holds when the request names none. */
  readonly outputNameList: readonly string[];
  readonly features: ReadonlyMap<string, FeatureSlot>;
}

export function signatureOf(config: RuntimeConfig): Signature {
  const features = new Map<string, FeatureSlot>();
  for (const input of config.model.inputs) {
    const list = input.features ?? [];
    list.forEach((f, column) => features.set(f, { input, column, width: list.length }));
  }
  return {
    modelName: config.model.name,
    inputs: config.model.inputs,
    inputsByName: new Map(config.model.inputs.map((i) => [i.name, i])),
    outputs: config.model.outputs,
    outputNames: new Set(config.model.outputs.map((o) => o.name)),
    outputNameList: config.model.outputs.map((o) => o.name),
    features,
  };
}
