import { error, warning, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { locate, type SourceMap } from '../../core/source/source-map.js';

/** Collects located errors for one document; checks call `report(...)` with a JSON pointer. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly locations: SourceMap,
    private readonly fallbackFile: string,
  ) {}

  report(code: string, message: string, pointer: string, hint: string, preferKey = false): void {
    const location = locate(this.locations, pointer, preferKey) ?? { file: this.fallbackFile, line: 1, column: 1 };
    this.diagnostics.push(error(code, message, { pointer, location, hint }));
  }

  /** A problem that does not stop the compile, but that the author should know about. */
  warn(code: string, message: string, pointer: string, hint: string, preferKey = false): void {
    const location = locate(this.locations, pointer, preferKey) ?? { file: this.fallbackFile, line: 1, column: 1 };
    this.diagnostics.push(warning(code, message, { pointer, location, hint }));
  }
}
