// Why writing `out/` was refused before anything changed: another compile is writing it, or it
// holds something mlspec would not write (a link, a pipe). Thrown through the pipeline, which
// abandons the sink; the CLI reports the diagnostic (exit 2).
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';

export class OutputRefused extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}
