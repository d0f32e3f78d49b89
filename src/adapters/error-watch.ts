import type { Logger } from '../log.ts';

/** While errors go on, one reminder this often: a long outage stays visible without a line per retry. */
const REMIND_EVERY_MS = 5 * 60_000;

export interface ErrorWatch {
  /** An error from the component (ioredis emits one per reconnect attempt, several a second). */
  error(error: unknown): void;
  /** The component works again (connected, answered). */
  recovered(): void;
}

/**
 * Logs a component's background errors on change of state: the first error, a reminder every few
 * minutes while they go on, and the recovery with the number of errors in between — never every retry.
 */
export function watchErrors(component: string, log: Logger, now: () => number = Date.now): ErrorWatch {
  let failingSince: number | null = null;
  let lastLogged = 0;
  let errors = 0;
  return {
    error(error) {
      errors += 1;
      const at = now();
      if (failingSince === null) {
        failingSince = at;
        lastLogged = at;
        log.error({ err: error, component }, `${component}: error; retrying in the background`);
      } else if (at - lastLogged >= REMIND_EVERY_MS) {
        lastLogged = at;
        log.error({ err: error, component, errors, failingForMs: at - failingSince }, `${component}: still failing`);
      }
    },
    recovered() {
      if (failingSince === null) return;
      log.info({ component, errors, failedForMs: now() - failingSince }, `${component}: working again`);
      failingSince = null;
      errors = 0;
    },
  };
}

interface Emitter {
  on(event: string, listener: (value: Error) => void): unknown;
}

/**
 * Watches an event emitter's 'error' events, and the event that says it works again (ioredis: 'ready',
 * a pg pool: 'connect'). Every 'error' emitter needs a listener, or Node ends the process.
 */
export function logErrors(emitter: Emitter, watch: ErrorWatch, recoveredOn?: { emitter: Emitter; event: string }): void {
  emitter.on('error', (error: unknown) => watch.error(error));
  recoveredOn?.emitter.on(recoveredOn.event, () => watch.recovered());
}
