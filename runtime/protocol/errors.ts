// Every failure a caller can see: an HTTP status, a stable code and a message. The server turns
// it into `{"error": message, "code": code}` (the Open Inference Protocol's error object, plus
// the code for machines).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `allow` on a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
