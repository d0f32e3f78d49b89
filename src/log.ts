import { fstatSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** syslog priorities (journald) of pino's levels: fatal crit, error err, warn warning, info info, debug and trace debug. */
export function journalPriority(level: number): number {
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
}

/** Each JSON line prefixed with `<N>`, which journald reads as the line's priority (and strips). */
export function journalLines(out: NodeJS.WritableStream): { write(line: string): boolean } {
  return {
    write(line: string) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
      return out.write(`<${journalPriority(level)}>${line}`);
    },
  };
}

/** systemd sets JOURNAL_STREAM to the device:inode of the journal stream it gave as stdout/stderr. */
function stdoutIsJournal(env: NodeJS.ProcessEnv): boolean {
  if (!env.JOURNAL_STREAM) return false;
  try {
    const stat = fstatSync(1);
    return env.JOURNAL_STREAM === `${stat.dev}:${stat.ino}`;
  } catch {
    return false;
  }
}

/**
 * pino JSON lines on stdout (or a given destination). On a terminal, readable lines instead (pino-pretty,
 * in process: no `npx` needed on a dock PC); EVIDOCK_LOG_FORMAT=json keeps JSON there. Under systemd, JSON
 * lines with journald priorities, so `journalctl -p warning` works.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Logger {
  const options = { level, base: { app: 'evidock' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY && env.EVIDOCK_LOG_FORMAT !== 'json') {
    return pino(options, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' }));
  }
  if (stdoutIsJournal(env)) return pino(options, journalLines(process.stdout));
  return pino(options, process.stdout);
}
