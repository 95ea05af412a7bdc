// Every `mlspec` subcommand, in the order `mlspec --help` lists them. A command's code is
// loaded only when it runs: `compile` should not pay for onnxruntime (serve) or the Rego engine
// (policy) at start-up.
import type { Command } from './io.js';

export interface CommandEntry {
  readonly name: string;
  /** One line for `mlspec --help`. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check specs and list their systems and environments',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'check',
    summary: 'review specs against the compliance policies (the pull-request review)',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'compile',
    summary: 'compile specs into Kubernetes manifests in out/',
    load: async () => (await import('./compile.js')).compileCommand,
  },
  {
    name: 'lineage',
    summary: 'show the chain from datasets to the rendered objects of a system',
    load: async () => (await import('./lineage.js')).lineageCommand,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of specs (or of the platform / runtime config)',
    load: async () => (await import('./schema.js')).schemaCommand,
  },
  {
    name: 'init',
    summary: 'write a commented starter spec',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'serve',
    summary: 'run the serving runtime for a generated runtime config',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'policy',
    summary: 'test and evaluate Rego policies (like opa test / opa eval)',
    load: async () => (await import('./policy.js')).policyCommand,
  },
  {
    name: 'audit',
    summary: 'verify the signed, hash-chained record of what was reviewed and rendered',
    load: async () => (await import('./audit.js')).auditCommand,
  },
];
