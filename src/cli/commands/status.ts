import { dockJson } from '../../app/contracts.ts';
import { type CliContext, positiveInt, printJson } from '../context.ts';
import { renderStatus } from '../render-status.ts';

export function registerStatus({ program, withCore }: CliContext): void {
  program
    .command('status')
    .description('docked devices with files secured / total, and the queue counts')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option('--recent-minutes <n>', 'also show sessions that ended this recently', positiveInt, 60)
    .action(async (opts: { json?: boolean; recentMinutes: number }) => {
      const report = await withCore(async (core) => ({
        docks: (await core.catalog.recentSessions(opts.recentMinutes * 60_000, new Date())).map(dockJson),
        queues: await core.queues.counts(),
      }));
      if (opts.json) printJson(report);
      else process.stdout.write(renderStatus(report));
    });
}
