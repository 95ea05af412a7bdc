// Jsonnet files evaluate to JSON; `.libsonnet` imports resolve relative to the importing file.
// Evaluated values carry no source positions, so their problems are reported at the file with
// the JSON pointer of the value.
import type { Jsonnet as JsonnetVm } from '@hanazuki/node-jsonnet';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { NodeLocation } from '../../core/source/source-map.js';
import { LOAD_LIMITS } from './limits.js';

export interface JsonnetResult {
  readonly values: unknown[];
  readonly diagnostics: Diagnostic[];
}

/** Jsonnet reports `file:line:col` (static errors) or `file:line:col-col` (runtime errors). */
function locationIn(message: string, fallbackFile: string): SourceLocation {
  const m =
    /([^\s:]+\.(?:jsonnet|libsonnet)):(\d+):(\d+)/.exec(message) ??
    /([^\s:]+\.(?:jsonnet|libsonnet)):\((\d+):(\d+)\)/.exec(message);
  if (m) return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  return { file: fallbackFile, line: 1, column: 1 };
}

/** The native addon, loaded on the first Jsonnet file: YAML-only runs skip its load time. */
let Jsonnet: typeof JsonnetVm | undefined;

/** Evaluations given up on after the time limit: they still run, and only ending the process stops them. */
let abandoned = 0;

/** Whether an abandoned Jsonnet evaluation still runs: the CLI then exits instead of waiting for it. */
export const jsonnetStillRunning = (): boolean => abandoned > 0;

class TimedOut {}

export async function evaluateJsonnet(
  path: string,
  displayFile: string,
  source: string,
  timeoutSeconds: number = LOAD_LIMITS.jsonnetSeconds,
): Promise<JsonnetResult> {
  Jsonnet ??= (await import('@hanazuki/node-jsonnet')).Jsonnet;
  const vm = new Jsonnet().setMaxStack(200).setMaxTrace(5);
  let json: string;
  let timer: NodeJS.Timeout | undefined;
  // Evaluate the text we already read (one read per file), under the display name so errors name it.
  const evaluation = vm.addJpath(dirOf(path)).evaluateSnippet(source, displayFile);
  try {
    const limit = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new TimedOut()), timeoutSeconds * 1000)),
    );
    json = await Promise.race([evaluation, limit]);
  } catch (e) {
    if (e instanceof TimedOut) {
      abandoned++;
      void evaluation.then(
        () => abandoned--,
        () => abandoned--,
      );
      return {
        values: [],
        diagnostics: [
          error('jsonnet_timeout', `Jsonnet evaluation did not finish within ${timeoutSeconds} s`, {
            location: { file: displayFile, line: 1, column: 1 },
            hint:
              'Look for a runaway computation (a huge std.range, a loop that never ends); `jsonnet <file>` runs ' +
              'it alone. MLSPEC_JSONNET_TIMEOUT_S sets the limit.',
          }),
        ],
      };
    }
    const raw = String((e as Error)?.message ?? e);
    const first = raw
      .split('\n')[0]!
      .replace(/^(STATIC|RUNTIME) ERROR: /, '')
      .replace(/^[^\s:]+\.(?:jsonnet|libsonnet):\d+:\d+(-\d+)?: /, '');
    return {
      values: [],
      diagnostics: [
        error('jsonnet_error', `Jsonnet evaluation failed: ${first}`, {
          location: locationIn(raw, displayFile),
          hint: 'Fix the Jsonnet at this position; `jsonnet <file>` shows the full trace.',
        }),
      ],
    };
  } finally {
    clearTimeout(timer);
  }
  const value: unknown = JSON.parse(json);
  // A file evaluating to a list holds several documents, like a multi-document YAML file.
  return { values: Array.isArray(value) ? value : [value], diagnostics: [] };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '.' : path.slice(0, i);
}

/** Every node of an evaluated document points at the file's first line. */
export function fileLevelLocations(file: string): Map<string, NodeLocation> {
  const loc = { value: { file, line: 1, column: 1 } };
  const map = new Map<string, NodeLocation>();
  map.set('', loc);
  return map;
}
