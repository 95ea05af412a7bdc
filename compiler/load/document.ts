// The load stage's output: plain JSON values plus where each value came from.
import type { SourceMap } from '../../core/source/source-map.js';

export type SourceFormat = 'yaml' | 'json' | 'jsonnet';

export interface LoadedDocument {
  /** Path as given or relative to the working directory, with `/` separators. */
  readonly file: string;
  /** Position of the document within a multi-document file (0-based). */
  readonly index: number;
  readonly format: SourceFormat;
  /** The document as plain JSON data. */
  readonly value: unknown;
  readonly locations: SourceMap;
  /** SHA-256 of the file's bytes: the same file gives the same digest on any machine. */
  readonly fileDigest: string;
}
