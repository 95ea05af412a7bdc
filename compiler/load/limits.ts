import { DOCUMENT_LIMITS } from '../../core/source/yaml.js';

/** Input limits: beyond these a file is refused with a clear error instead of exhausting the process. */
export const LOAD_LIMITS = {
  ...DOCUMENT_LIMITS,
  /** Bytes per file. Real specs are a few kilobytes. */
  maxFileBytes: 8 * 1024 * 1024,
  /** Seconds for evaluating one Jsonnet file: a runaway program stops with an error. */
  jsonnetSeconds: 10,
  /** Jsonnet stack frames (Jsonnet's own default): deeper recursion is an error, not a crash. */
  jsonnetMaxStack: 500,
} as const;
