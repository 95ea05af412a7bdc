// Something the config names that cannot be used (a model file, its external data, a secret):
// the config is refused with the code, the message and what to do (at start-up exit 2; on
// reload the previous config keeps serving).
export class LoadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly code: string = 'model_load_failed',
  ) {
    super(message);
  }
}

/** A model that cannot be served. */
export class ModelLoadError extends LoadError {}
