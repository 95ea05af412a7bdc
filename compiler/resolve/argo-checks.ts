// Argo Workflows replaces `{{...}}` everywhere in a WorkflowTemplate's templates: variables
// (`{{workflow.serviceAccountName}}`) and expressions (`{{=sprig.env('HOME')}}`), with no way to
// escape the braces. Every user value of the training section ends up there (command, args,
// env, dataset URIs in MLSPEC_DATASETS), so on a cluster with Argo Workflows a value holding
// `{{` would run as Argo wrote it rather than as the spec says: it is refused where it is written.
import { joinPointer } from '../../core/json-pointer.js';
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { Reporter } from './report.js';

const OPENING = '{{';

/** Every string (value or key) under `value` that holds `{{`, with its pointer. */
function withBraces(value: unknown, pointer: string, found: [string, string][]): [string, string][] {
  if (typeof value === 'string') {
    if (value.includes(OPENING)) found.push([pointer, value]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => withBraces(v, joinPointer(pointer, i), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(OPENING)) found.push([joinPointer(pointer, k), k]);
      withBraces(v, joinPointer(pointer, k), found);
    }
  }
  return found;
}

export function checkArgoExpressions(spec: MLSystemBody, clusterName: string, r: Reporter): void {
  for (const [pointer, text] of withBraces(spec.training, '/training', [])) {
    r.report(
      'argo_expression',
      `${quote(text)} holds \`{{\`, which Argo Workflows on cluster ${quote(clusterName)} would replace or evaluate`,
      pointer,
      'Argo has no escape for `{{`: remove the braces, or build the value inside the step (it gets MLSPEC_RUN_ID, ' +
        'MLSPEC_DATASETS and the other MLSPEC_* variables).',
    );
  }
}
