/**
 * A request that cannot be done as asked (bad input, an unknown thing, a conflict with the current state):
 * the caller is told why and what to do; nothing changed. The API maps the kind to 400, 403, 404 or 409
 * (`forbidden`: a rule about who may do it, e.g. separation of duties, not the role table).
 */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict' | 'forbidden',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
