// The configured signature against the model's own: names, element types, ranks and fixed
// dimensions of every input and output. A mismatch is a load error naming each difference.
import type { InferenceSession } from 'onnxruntime-node';
import type { OutputTensor, ServedInput } from '../contract/tensor.js';
import { ORT_TYPE } from './dtypes.js';
import { ModelLoadError } from '../load-error.js';
import type { ModelMetadata } from './worker-protocol.js';

export interface DeclaredSignature {
  readonly path: string;
  readonly inputs: readonly ServedInput[];
  readonly outputs: readonly OutputTensor[];
}

export async function checkSignature(
  spec: DeclaredSignature,
  m: ModelMetadata,
  release: () => Promise<unknown>,
): Promise<void> {
  const problems = signatureProblems(m, spec);
  if (problems.length === 0) return;
  await release();
  throw new ModelLoadError(
    `model ${spec.path} does not match the configured signature: ${problems.join('; ')}`,
    'the spec signature and the ONNX graph must agree on input and output names, types and shapes',
  );
}

function signatureProblems(metadata: ModelMetadata, spec: DeclaredSignature): string[] {
  const out: string[] = [];
  const compare = (
    kind: string,
    declared: readonly (ServedInput | OutputTensor)[],
    actual: readonly InferenceSession.ValueMetadata[],
  ) => {
    const byName = new Map(actual.map((m) => [m.name, m]));
    for (const d of declared) {
      const m = byName.get(d.name);
      if (!m) {
        out.push(`${kind} \`${d.name}\` is not in the model (it has ${[...byName.keys()].join(', ')})`);
        continue;
      }
      if (!m.isTensor) {
        out.push(`${kind} \`${d.name}\` is not a tensor`);
        continue;
      }
      if (m.type !== ORT_TYPE[d.dtype])
        out.push(`${kind} \`${d.name}\` is ${m.type} in the model, ${d.dtype} in the config`);
      if (m.shape.length > 0 && m.shape.length !== d.shape.length)
        out.push(`${kind} \`${d.name}\` has rank ${m.shape.length} in the model, ${d.shape.length} in the config`);
      else
        m.shape.forEach((dim, i) => {
          const want = d.shape[i]!;
          if (typeof dim === 'number' && want !== -1 && dim !== want)
            out.push(`${kind} \`${d.name}\` dimension ${i} is ${dim} in the model, ${want} in the config`);
        });
    }
    if (kind === 'input') {
      const declaredNames = new Set(declared.map((d) => d.name));
      for (const name of byName.keys())
        if (!declaredNames.has(name)) out.push(`model input \`${name}\` is missing from the config`);
    }
  };
  compare('input', spec.inputs, metadata.inputs);
  compare('output', spec.outputs, metadata.outputs);
  return out;
}
