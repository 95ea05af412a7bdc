// What every renderer receives: the resolved system, the chart its objects go into, the
// names and labels every renderer must agree on, and the caller's options.
import { App, Chart, type ApiObjectMetadata } from 'cdk8s';
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { roleLabels, roleSource, systemLabels, type LineageOptions, type ObjectRole } from './labels.js';
import { systemNames, type SystemNames } from './names.js';

export interface RenderOptions extends LineageOptions {}

export interface RenderContext {
  readonly system: ResolvedSystem;
  readonly chart: Chart;
  readonly options: RenderOptions;
  readonly names: SystemNames;
  /** `metadata` for an object: its name and the full label set for its role. */
  metadata(name: string, role: ObjectRole): ApiObjectMetadata;
  /** Object name → where in the spec the objects of that name come from (see `roleSource`). */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  labels(role: ObjectRole): Record<string, string>;
}

export function createContext(system: ResolvedSystem, options: RenderOptions = {}): RenderContext {
  // One App per system keeps charts independent; nothing is written to disk (synth.ts reads
  // the chart's JSON). Resource name hashes are off: every object gets an explicit name.
  const chart = new Chart(new App(), `${system.environment}-${system.name}`, {
    namespace: system.namespace,
    disableResourceNameHashes: true,
  });
  const base = systemLabels(system);
  const sources = new Map<string, string[]>();
  const record = (name: string, role: ObjectRole) => {
    const pointer = roleSource(role);
    const known = sources.get(name);
    if (!known) sources.set(name, [pointer]);
    else if (!known.includes(pointer)) known.push(pointer);
  };
  return {
    system,
    chart,
    options,
    names: systemNames(system.name),
    sources,
    metadata: (name, role) => {
      record(name, role);
      return { name, labels: roleLabels(base, role) };
    },
    labels: (role) => roleLabels(base, role),
  };
}
