/** The kinds of document users write, each validated by its own schema. */
export type SchemaKind = 'MLSystem' | 'Platform';
export const SCHEMA_KINDS: readonly SchemaKind[] = ['MLSystem', 'Platform'];
