/**
 * A failure that retrying cannot fix (the file is gone, the input is invalid). The queue
 * adapter turns it into BullMQ's UnrecoverableError; its reason is stored with the job's subject.
 */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
