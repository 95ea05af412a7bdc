// A constraint's parameters against its template's schema (`spec.crd.spec.validation
// .openAPIV3Schema`): Gatekeeper refuses a constraint whose parameters do not fit, so does
// mlspec. Fields the schema does not name are allowed (the API server prunes them).
import { Ajv } from 'ajv';

// No logger: an OpenAPI format Ajv does not know (int-or-string, byte) is passed over, not printed.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, logger: false });

/** Why the parameters do not fit the schema, or undefined when they do (or there is no schema). */
export function parameterProblem(schema: unknown, parameters: unknown): string | undefined {
  if (schema === undefined || schema === null) return undefined;
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema as object);
  } catch (e) {
    return `the template's parameter schema is invalid: ${(e as Error).message}`;
  }
  if (validate(parameters ?? {})) return undefined;
  const e = validate.errors?.[0];
  return `parameters${e?.instancePath.split('/').join('.') ?? ''} ${e?.message ?? 'do not match the schema'}`;
}
