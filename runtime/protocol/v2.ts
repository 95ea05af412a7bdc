// Wire types of the KServe V2 / Open Inference Protocol (REST, JSON data only).
export interface V2TensorMetadata {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

export interface V2ModelMetadata {
  readonly name: string;
  readonly versions: readonly string[];
  readonly platform: string;
  readonly inputs: readonly V2TensorMetadata[];
  readonly outputs: readonly V2TensorMetadata[];
  readonly parameters?: Record<string, unknown>;
}

export interface V2OutputTensor extends V2TensorMetadata {
  readonly data: readonly unknown[];
}

export interface V2InferResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly id?: string;
  /** `variant`: the variant that answered (also in the `x-mlspec-variant` header). */
  readonly parameters: { readonly variant: string };
  readonly outputs: readonly V2OutputTensor[];
}

/** The simple form's answer: one record in, one record out, outputs keyed by name. */
export interface RecordResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly variant: string;
  readonly outputs: Record<string, unknown>;
}
