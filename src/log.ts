import { pino, type Logger } from 'pino';

export type { Logger };

/** pino JSON to stdout (or a given destination), one line per event. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'evidock' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? process.stdout);
}
