import { buildCaseReport } from '../../app/tagging/case-report.ts';
import { caseReportJson } from '../../app/tagging/contracts.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, printJson } from '../context.ts';

/** `evidock case report <caseId>`: the case checked against the recording checklist. */
export function registerCase({ program, withCore }: CliContext): void {
  program
    .command('case')
    .description('cases')
    .command('report <caseId>')
    .description("for the case's category, each checklist row, the phases the case went through, its recordings, and the mandatory rows with none")
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (caseId: string, opts: { json?: boolean; by?: string }) => {
      // A read of the case's recordings: recorded in the audit log with the items it listed, or as failed.
      const report = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'cases:read');
        const audit = (result: 'ok' | 'failed', itemIds: string[], details?: Record<string, unknown>) =>
          auditCli(core.audit, by, { action: 'case-report', target: `case:${caseId}`, reason: null, result, itemIds, details });
        let built;
        try {
          built = caseReportJson(await buildCaseReport(core, caseId));
        } catch (error) {
          await audit('failed', [], { error: (error as Error).message });
          throw error;
        }
        await audit('ok', [...built.rows.flatMap((r) => r.recordings.map((x) => x.id)), ...built.unfiled.map((u) => u.id)]);
        return built;
      });
      if (opts.json) return printJson(report);
      const out: string[] = [`case ${report.caseId} (${report.categories.join(', ')})`];
      for (const r of report.rows) {
        const mark = { recorded: 'ok     ', missing: 'MISSING', 'not-reached': 'n/a    ', none: 'none   ' }[r.status];
        out.push(`  ${mark}  ${r.checklistRow.padEnd(26)} ${r.categoryLabel}/${r.phaseLabel}  ${r.unitLabel}${r.mandatory ? '  mandatory' : ''}  ${r.recordings.length} recording(s)`);
        for (const rec of r.recordings) out.push(`             ${rec.id}  ${rec.kind}  ${rec.capturedAt}  officer ${rec.officerId ?? '-'}`);
      }
      if (report.unfiled.length > 0) out.push(`  ${report.unfiled.length} recording(s) of the case without category/phase: ${report.unfiled.map((u) => u.id).join(', ')}`);
      if (report.awaitingArchivist.length > 0) out.push(`  ${report.awaitingArchivist.length} untagged recording(s) may belong here: ${report.awaitingArchivist.join(', ')}`);
      out.push(report.missing.length > 0 ? `  missing mandatory recordings: ${report.missing.join(', ')}` : '  no mandatory recording missing');
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
