import { RequestError } from '../app/request-error.ts';

/** Failures of the servers behind us (PostgreSQL, MinIO, the network): never the caller's input. */
function isInfrastructure(error: Error): boolean {
  return 'syscall' in error || ['DatabaseError', 'S3Error', 'AbortError', 'TimeoutError'].includes(error.name);
}

/**
 * Runs work whose errors are about the caller's input (the tagging, import and register functions throw
 * them with a message saying what to do: a bad checklist pair, a malformed CSV, an unknown badge) and
 * answers them as 400 naming `field`. Failures of the servers behind us pass through (500, logged).
 */
export async function asUserInput<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && !(error instanceof RequestError) && !('statusCode' in error) && !isInfrastructure(error)) {
      throw new RequestError('invalid', error.message, field);
    }
    throw error;
  }
}
