// One ajv setup for every schema mlspec validates (spec, platform config, runtime config): all
// errors at once, defaults filled in, and schema authoring mistakes refused at compile time.
import { Ajv, type Options } from 'ajv';

export const SCHEMA_AJV_OPTIONS: Options = {
  allErrors: true,
  useDefaults: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
};

export function schemaAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...SCHEMA_AJV_OPTIONS, ...extra });
}
