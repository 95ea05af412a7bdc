// Runtime config constants the compiler needs at run time, kept apart from the TypeBox schema
// so that rendering does not load the schema builder.

export const RUNTIME_CONFIG_KIND = 'RuntimeConfig';

/** Header a caller sets to pick a variant explicitly (testing, blue-green preview). */
export const DEFAULT_OVERRIDE_HEADER = 'x-mlspec-variant';
