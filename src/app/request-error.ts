/**
 * A request that cannot be done as asked (bad input, an unknown thing, a conflict with the current state):
 * the caller is told why and what to do; nothing changed. The API maps the kind to 400, 404 or 409.
 */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
