import { reindexCatalog } from '../../app/integrity/reindex.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, printJson } from '../context.ts';

export function registerReindex({ program, withCore }: CliContext): void {
  program
    .command('reindex')
    .description('rebuild the evidence catalog from the manifests in MinIO (items already in the catalog are kept)')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { json?: boolean; by?: string }) => {
      const report = await withCore(async (core, config) =>
        reindexCatalog(
          core,
          await actingIn(core, config, opts, 'system:maintain'),
          (r) => {
            if (!opts.json && process.stderr.isTTY && r.manifests % 100 === 0) process.stderr.write(`\rreindex: ${r.manifests} manifests read, ${r.restored} restored`);
          },
        ),
      );
      if (opts.json) printJson(report);
      else {
        process.stdout.write(`${report.manifests} manifests: ${report.restored} items restored, ${report.alreadyPresent} already in the catalog, ${report.invalid.length} unreadable\n`);
        for (const bad of report.invalid) process.stdout.write(`UNREADABLE ${bad.key}: ${bad.problem}\n`);
      }
      if (report.invalid.length > 0) process.exitCode = 1;
    });
}
