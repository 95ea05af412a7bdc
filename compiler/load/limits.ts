import { DOCUMENT_LIMITS } from '../../core/source/yaml.js';

/** Input limits: beyond these a file is refused with a clear error instead of exhausting the process. */
export const LOAD_LIMITS = {
  ...DOCUMENT_LIMITS,
  /** Bytes per file. Real specs are a few kilobytes. */
  maxFileBytes: 8 * 1024 * 1024,
  /**
   * Seconds for evaluating one Jsonnet file. The native evaluator cannot be stopped, so a
   * runaway program (a huge std.range) would otherwise grow without bound.
   */
  jsonnetSeconds: 10,
} as const;
