import { readFile } from 'node:fs/promises';
import { importActivities } from '../../app/tagging/activity-import.ts';
import { importJson } from '../../app/tagging/contracts.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, printJson } from '../context.ts';

/** `evidock import activities <file>`: enforcement activities from the case system (CSV or JSON). */
export function registerImport({ program, withCore }: CliContext): void {
  program
    .command('import')
    .description('import records from other systems')
    .command('activities <file>')
    .description('enforcement activities (case, category, phase, badge, start, end, place) as .csv or .json; recordings they concern are re-tagged')
    .option('--reason <text>')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (file: string, opts: { reason?: string; json?: boolean; by?: string }) => {
      const text = await readFile(file, 'utf8');
      const result = await withCore(async (core, config) => {
        const { actor } = await actingIn(core, config, opts, 'activities:write');
        return importActivities({ ...core, settings: config.tagging }, { name: file, text }, { actor, at: new Date(), reason: opts.reason ?? null });
      });
      if (opts.json) printJson(importJson(result));
      else {
        const changed = result.retagged.filter((o) => o.changed).length;
        process.stdout.write(`import ${result.importId}: ${result.rows} rows, ${result.activities} activities, ${result.added} new; ${result.retagged.length} recordings matched again, ${changed} changed\n`);
      }
    });
}
