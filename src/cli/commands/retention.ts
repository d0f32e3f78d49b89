import { retentionReport } from '../../app/integrity/retention-report.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, positiveInt, printJson } from '../context.ts';

const DAY_MS = 86_400_000;

/**
 * What would expire, and when, before anything happens. Expiry deletes nothing: after it an object is
 * only no longer protected, and removing it is an admin procedure outside evidock (docs/decisions.md).
 */
export function registerRetention({ program, withCore }: CliContext): void {
  program
    .command('retention')
    .description('report object-lock retentions that end within N days, read from the objects and the catalog, and any lock that differs from the catalog')
    .option('--within-days <n>', 'report retentions ending within this many days', positiveInt, 90)
    .option('--limit <n>', 'at most this many objects', positiveInt, 10000)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { withinDays: number; limit: number; json?: boolean; by?: string }) => {
      const rows = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'items:search');
        const deps = { lockRecords: core.lockRecords, objects: core.objects, store: core.store, subjects: core.verifySubjects };
        const result = await retentionReport(deps, new Date(Date.now() + opts.withinDays * DAY_MS), opts.limit);
        await auditCli(core.audit, by, {
          action: 'retention-report', target: `expiring-within:${opts.withinDays}d`, reason: null, result: 'ok',
          details: { objects: result.length, differing: result.filter((r) => r.differs.length > 0).length },
        });
        return result;
      });
      if (opts.json) printJson(rows);
      else {
        if (rows.length === 0) process.stdout.write(`No retention ends within ${opts.withinDays} days.\n`);
        for (const r of rows) {
          const held = r.legalHolds.length > 0 ? `  (legal hold: ${r.legalHolds.join(', ')})` : '';
          process.stdout.write(`${r.bucket.retainUntil ?? 'NO LOCK'}  ${(r.retentionClass ?? '-').padEnd(9)} ${(r.bucket.mode ?? '-').padEnd(10)} ${r.key}${held}\n`);
          for (const d of r.differs) process.stdout.write(`  LOCK DIFFERS FROM THE CATALOG: ${d}\n`);
        }
      }
    });
}
