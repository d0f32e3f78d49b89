import { type Command, InvalidArgumentError } from 'commander';
import { resolveEndpoints } from '../adapters/embedded/services.ts';
import { type Core, connectCore } from '../app/wiring.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { DaemonNotRunningError, ServiceUnavailableError } from './exit-codes.ts';
import { parseCliTime } from './times.ts';

/** What every command gets: the program (for global options), its config, and a connection to a running daemon's services. */
export interface CliContext {
  program: Command;
  config(): Config;
  withCore<T>(work: (core: Core, config: Config) => Promise<T>): Promise<T>;
}

export function cliContext(program: Command): CliContext {
  const config = (): Config => loadConfig({ file: program.opts().config });
  return {
    program,
    config,
    async withCore(work) {
      const cfg = config();
      let core: Core;
      try {
        // Reading the embedded services' secrets fails too when the daemon never ran with this data dir.
        core = await connectCore(cfg, resolveEndpoints(cfg));
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
        await core.close();
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
