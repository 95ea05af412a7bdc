// One thing wrong with a config that JSON Schema cannot see: what, where (a JSON pointer into
// the config) and what to do.
export interface ConfigProblem {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
  readonly hint: string;
}
