import { bayJson } from '../../app/contracts.ts';
import type { Core } from '../../app/wiring.ts';
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
        docks: await baysOf(core, opts.recentMinutes),
        queues: await core.queues.counts(),
      }));
      if (opts.json) printJson(report);
      else process.stdout.write(renderStatus(report));
    });
}

async function baysOf(core: Core, recentMinutes: number) {
  const now = new Date();
  const sessions = await core.catalog.recentSessions(recentMinutes * 60_000, now);
  const bays = await core.docks.bays(sessions.map((s) => s.id));
  return sessions.map((s) => bayJson(s, bays.get(s.id) ?? null, now));
}
