#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { resolveEndpoints } from '../adapters/embedded/services.ts';
import { dockJson, itemJson } from '../app/contracts.ts';
import { startDaemon } from '../app/daemon.ts';
import { connectCore } from '../app/wiring.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { renderStatus } from './render-status.ts';

const program = new Command('evidock').description('Evidence ingestion for law-enforcement recorders').option('-c, --config <file>', 'config file (default config/evidock.json)');

const config = (): Config => loadConfig({ file: program.opts().config });

const isoDate = (value: string) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`"${value}" is not a date; use ISO 8601, e.g. 2026-05-01T08:00:00+08:00`);
  return date;
};

/** Runs a command against the services of a running daemon, with a clear message when they are not there. */
async function withCore<T>(work: (core: Awaited<ReturnType<typeof connectCore>>) => Promise<T>): Promise<T> {
  const cfg = config();
  const endpoints = resolveEndpoints(cfg);
  let core;
  try {
    core = await connectCore(cfg, endpoints);
  } catch (error) {
    throw new Error(`cannot reach evidock's services (${(error as Error).message}); is the daemon running? start it with "npm start"`);
  }
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

program
  .command('start')
  .description('run the daemon (every role in one process; embedded services unless URLs are configured)')
  .action(async () => {
    const cfg = config();
    const log = createLogger(cfg.log.level);
    let stopping = false;
    let exitCode = 0;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal, graceMs: cfg.shutdown.graceMs }, 'stopping: finishing running jobs');
      daemon.stop().then(
        () => {
          log.info('stopped');
          process.exit(exitCode);
        },
        (err) => {
          log.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
    };
    const daemon = await startDaemon(cfg, log, (reason) => {
      log.fatal({ reason }, 'stopping: a service this daemon needs is gone');
      exitCode = 1;
      stop('fatal');
    });
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

program
  .command('status')
  .description('docked devices with files secured / total, and the queue counts')
  .option('--json', 'print JSON (contract: docs/cli-json.md)')
  .option('--recent-minutes <n>', 'also show sessions that ended this recently', (v) => Number(v), 60)
  .action(async (opts: { json?: boolean; recentMinutes: number }) => {
    const report = await withCore(async (core) => ({
      docks: (await core.catalog.recentSessions(opts.recentMinutes * 60_000, new Date())).map(dockJson),
      queues: await core.queues.counts(),
    }));
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
  });

program
  .command('query')
  .description('find secured evidence items')
  .option('--device <serial>')
  .option('--officer <badge>')
  .option('--case <caseId>')
  .option('--sha256 <hex>')
  .option('--since <iso>', 'captured at or after', isoDate)
  .option('--until <iso>', 'captured before', isoDate)
  .option('--limit <n>', 'at most this many', (v) => Number(v), 1000)
  .option('--json', 'print JSON (contract: docs/cli-json.md)')
  .action(async (opts: { device?: string; officer?: string; case?: string; sha256?: string; since?: Date; until?: Date; limit: number; json?: boolean }) => {
    const items = await withCore((core) =>
      core.catalog.queryItems({ device: opts.device, officer: opts.officer, caseId: opts.case, sha256: opts.sha256, since: opts.since, until: opts.until, limit: opts.limit }),
    );
    const rows = items.map(itemJson);
    if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const r of rows) process.stdout.write(`${r.id}  ${r.sha256.slice(0, 12)}  ${r.capturedAt}  ${r.deviceSerial}  ${r.originalPath}\n`);
  });

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`evidock: ${error.message}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
