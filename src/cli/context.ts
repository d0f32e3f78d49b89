import { type Command, InvalidArgumentError } from 'commander';
import { HeadSealer } from '../app/integrity/seals.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { composeFromConfig, type System } from '../main/compose.ts';
import { systemClock } from '../ports/clock.ts';
import { DaemonNotRunningError, ServiceUnavailableError } from './exit-codes.ts';
import { parseCliTime } from './times.ts';

/** What every command gets: the program (for global options), its config, and a connection to a running daemon's services. */
export interface CliContext {
  program: Command;
  config(): Config;
  withCore<T>(work: (core: System, config: Config) => Promise<T>): Promise<T>;
}

export function cliContext(program: Command): CliContext {
  const config = (): Config => loadConfig({ file: program.opts().config });
  return {
    program,
    config,
    async withCore(work) {
      const cfg = config();
      let core: System;
      try {
        // Commands print their own output; the log (to stderr) only says what went wrong.
        core = await composeFromConfig(cfg, { log: createLogger(cfg.log.level, process.stderr), clock: systemClock });
      } catch (error) {
        // A bad configuration file (e.g. the checklist) is not a connection problem: say what it is.
        if (error instanceof ConfigError) throw error;
        // Embedded services live and die with the daemon; configured ones are someone else's to fix.
        const embedded = !cfg.redis.url || !cfg.postgres.url || !cfg.minio.url;
        if (embedded) throw new DaemonNotRunningError(`cannot reach evidock's services (${(error as Error).message}); is the daemon running? start it with "npm start"`);
        throw new ServiceUnavailableError(`cannot reach evidock's configured services (${(error as Error).message}); check that Redis, PostgreSQL and MinIO answer at the configured URLs`);
      }
      try {
        return await work(core, cfg);
      } finally {
        // What this command appended to the log is sealed now, not at the daemon's next interval (there may be
        // no daemon running): verify reports a tail left unsealed for two intervals.
        await new HeadSealer({ ...core, config: cfg, clock: systemClock }, `${cfg.dockHost} (cli)`).seal()
          .catch((error: unknown) => process.stderr.write(`warning: the audit log head could not be sealed (${(error as Error).message}); the daemon seals it at its next interval\n`))
          .finally(() => core.close());
      }
    },
  };
}

/** An ISO 8601 time; without an offset, in the agency's zone (./times.ts). */
export const isoDate = (value: string): Date => parseCliTime(value);

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
};

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
