/** Input limits: beyond these a file is refused with a clear error instead of exhausting the process. */
export const LOAD_LIMITS = {
  /** Bytes per file. Real specs are a few kilobytes. */
  maxFileBytes: 8 * 1024 * 1024,
  /** Nesting depth of a document. */
  maxDepth: 128,
  /** Nodes of one document after aliases are expanded (stops "billion laughs" alias bombs). */
  maxNodes: 100_000,
  /** Documents per file. */
  maxDocuments: 1000,
  /**
   * Seconds for evaluating one Jsonnet file. The native evaluator cannot be stopped, so a
   * runaway program (a huge std.range) would otherwise grow without bound (7 GB in a minute).
   */
  jsonnetSeconds: 10,
} as const;
