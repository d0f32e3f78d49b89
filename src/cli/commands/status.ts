import { existsSync } from 'node:fs';
import { alertJson } from '../../app/admin/contracts.ts';
import { type BayJson, bayJson, type DockJson } from '../../app/contracts.ts';
import type { System } from '../../main/compose.ts';
import { type CliContext, positiveInt, printJson } from '../context.ts';
import { renderStatus } from '../render-status.ts';
import { alertLines, type StatusReport, watchStatus } from '../status-watch.ts';

export function registerStatus({ program, withCore, config }: CliContext): void {
  program
    .command('status')
    .description('docked devices with files secured / total, the queue counts and the active alerts')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option('--recent-minutes <n>', 'also show sessions that ended this recently', positiveInt, 60)
    .option('--watch [seconds]', 'a live view, refreshed every few seconds (default 2) until q or Ctrl-C', positiveInt)
    .action(async (opts: { json?: boolean; recentMinutes: number; watch?: number | true }) => {
      const read = async (core: System): Promise<StatusReport<BayJson>> => ({
        docks: await baysOf(core, opts.recentMinutes),
        queues: await core.queues.counts(),
        alerts: (await core.admin.alerts.active()).map(alertJson),
      });
      const plain = (report: StatusReport<BayJson>) => `${renderStatus(report)}${alertLines(report.alerts).join('\n')}\n`;
      if (opts.watch !== undefined) {
        const seconds = opts.watch === true ? 2 : opts.watch;
        // A safe device whose mount is gone from this dock host has left: shown as undocked, not as still safe.
        const departed = (d: DockJson) => d.safeToUndock && d.dockHost === config().dockHost && !existsSync(d.mountPath);
        await withCore((core) => watchStatus(() => read(core), seconds * 1000, plain, { departed }));
        return;
      }
      const report = await withCore(read);
      if (opts.json) printJson(report);
      else process.stdout.write(plain(report));
    });
}

async function baysOf(core: System, recentMinutes: number) {
  const now = new Date();
  const sessions = await core.catalog.recentSessions(recentMinutes * 60_000, now);
  const bays = await core.docks.bays(sessions.map((s) => s.id));
  return sessions.map((s) => bayJson(s, bays.get(s.id) ?? null, now));
}
