// The published JSON Schemas: generated from the TypeBox definitions (the single source of
// truth) and committed under specs/schema/ so editors can validate specs through a
// `# yaml-language-server: $schema=...` modeline.
import { MLSystem } from './mlsystem.js';
import { Platform } from './platform.js';
import { RuntimeConfig } from '../../runtime/contract/config.js';
import { canonicalJson } from '../../core/canonical-json.js';

export const PUBLISHED_SCHEMAS = {
  mlsystem: { file: 'mlsystem.schema.json', schema: MLSystem },
  platform: { file: 'platform.schema.json', schema: Platform },
  'runtime-config': { file: 'runtime-config.schema.json', schema: RuntimeConfig },
} as const;

export type SchemaName = keyof typeof PUBLISHED_SCHEMAS;

/**
 * In the TypeBox definitions a field with a `default` is required, so the validated type has it
 * (mlspec's validator fills defaults in before checking). For everyone else such a field is
 * optional: drop it from `required` in what is published.
 */
function optionalDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalDefaults);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = optionalDefaults(v);
  const props = out.properties as Record<string, { default?: unknown }> | undefined;
  if (props && Array.isArray(out.required)) {
    out.required = (out.required as string[]).filter((k) => props[k]?.default === undefined);
    if ((out.required as string[]).length === 0) delete out.required;
  }
  return out;
}

/** Draft-07 JSON text, keys sorted, so the committed file only changes when the schema does. */
export function schemaJson(name: SchemaName): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(optionalDefaults(JSON.parse(JSON.stringify(PUBLISHED_SCHEMAS[name].schema))) as object),
  };
  return `${JSON.stringify(JSON.parse(canonicalJson(schema)), null, 2)}\n`;
}
