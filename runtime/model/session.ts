// One onnxruntime session per variant. The file is read once, hashed, compared with the
// configured sha256 and only then handed to onnxruntime; its inputs and outputs are checked
// against the configured signature, so a wrong model fails at load time, not on traffic.
import { readFile } from 'node:fs/promises';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import type { InputTensor, OutputTensor } from '../contract/tensor.js';
import { ORT_TYPE } from './dtypes.js';
import { sha256Hex } from '../../core/hash.js';

export type Feeds = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;

/** What the request pipeline needs from a model; tests substitute their own. */
export interface ModelSession {
  run(feeds: Feeds): Promise<Outputs>;
  release(): Promise<void>;
}

export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface SessionSpec {
  readonly path: string;
  readonly sha256: string;
  readonly inputs: readonly InputTensor[];
  readonly outputs: readonly OutputTensor[];
}

// Tabular models are small: one thread per session avoids thread hand-off costs that exceed
// the work itself, and the pod scales by replicas rather than by intra-op threads.
const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3, // onnxruntime's own log lines are not JSON; keep only its errors
};

export async function loadModelSession(spec: SessionSpec): Promise<ModelSession> {
  let bytes: Buffer;
  try {
    bytes = await readFile(spec.path);
  } catch (e) {
    throw new ModelLoadError(
      `cannot read model file ${spec.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'check that the init container fetched the model into this path',
    );
  }
  const actual = sha256Hex(bytes);
  if (actual !== spec.sha256) {
    throw new ModelLoadError(
      `model file ${spec.path} has sha256 ${actual}, but the config pins ${spec.sha256}`,
      'the file is not the artifact the spec names: fetch it again or fix the digest in the spec',
    );
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (e) {
    throw new ModelLoadError(
      `onnxruntime cannot load ${spec.path}: ${(e as Error).message.split('\n')[0]}`,
      'the file is not a valid ONNX model for this onnxruntime version',
    );
  }
  const problems = signatureProblems(session, spec);
  if (problems.length > 0) {
    await session.release();
    throw new ModelLoadError(
      `model ${spec.path} does not match the configured signature: ${problems.join('; ')}`,
      'the spec signature and the ONNX graph must agree on input and output names, types and shapes',
    );
  }
  return { run: (feeds) => session.run(feeds), release: () => session.release() };
}

function signatureProblems(session: InferenceSession, spec: SessionSpec): string[] {
  const out: string[] = [];
  const compare = (
    kind: string,
    declared: readonly (InputTensor | OutputTensor)[],
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
  compare('input', spec.inputs, session.inputMetadata);
  compare('output', spec.outputs, session.outputMetadata);
  return out;
}
