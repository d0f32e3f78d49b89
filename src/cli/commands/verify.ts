import { InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { verifyIntegrity, type VerifyReport } from '../../app/integrity/verify.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, positiveInt, printJson } from '../context.ts';

function render(r: VerifyReport): string {
  const lines = [
    `items:     ${r.items.checked} of ${r.items.total} checked, ${(r.items.bytes / 1e6).toFixed(1)} MB in ${r.items.seconds.toFixed(1)} s`,
    `audit log: ${r.chain.entries} entries, head ${r.chain.head.seq} ${r.chain.head.hash.slice(0, 16)}…, ${r.chain.seals} seals (last at entry ${r.chain.lastSealedSeq ?? '-'})`,
  ];
  for (const m of r.mismatches) {
    lines.push(m.kind === 'audit-log' ? `MISMATCH audit log${m.seq === null ? '' : ` entry ${m.seq}`}: ${m.problem}` : `MISMATCH ${m.kind} of item ${m.itemId} (${m.key}): ${m.problem}`);
  }
  lines.push(r.ok ? 'OK: every checked original, manifest and log entry matches' : `FAILED: ${r.mismatches.length} mismatches`);
  return `${lines.join('\n')}\n`;
}

export function registerVerify({ program, withCore }: CliContext): void {
  program
    .command('verify')
    .description('re-hash stored originals against the catalog, check manifests and the audit chain against its seals; exit 1 on any mismatch')
    .option('--sample <n>', 'check this many items chosen at random', positiveInt)
    .option('--all', 'check every item (the default)')
    .option('--concurrency <n>', 'items checked at once (more helps a distributed MinIO)', positiveInt, 1)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { sample?: number; all?: boolean; concurrency: number; json?: boolean; by?: string }) => {
      if (opts.sample !== undefined && opts.all) throw new InvalidArgumentError('--sample and --all exclude each other: pick one');
      const report = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'integrity:verify');
        // On a terminal only: the bar goes to stderr, so --json output stays clean.
        const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'verify [{bar}] {percentage}% | {value}/{total} MB | {items} items' }, cliProgress.Presets.shades_classic) : null;
        const started = { value: false };
        const result = await verifyIntegrity(
          { store: core.store, objects: core.objects, logReader: core.logReader, subjects: core.verifySubjects, lockRecords: core.lockRecords },
          {
            sample: opts.sample,
            concurrency: opts.concurrency,
            unsealedTailLimitMs: 2 * config.audit.sealIntervalMs,
            onProgress: (done, total) => {
              if (!bar) return;
              if (!started.value) bar.start(Math.ceil(total.bytes / 1e6), 0, { items: 0 });
              started.value = true;
              bar.update(Math.floor(done.bytes / 1e6), { items: `${done.items}/${total.items}` });
            },
          },
        );
        bar?.stop();
        await auditCli(core.audit, by, {
          action: 'verify', target: opts.sample ? `sample:${opts.sample}` : 'all', reason: null, result: result.ok ? 'ok' : 'failed',
          details: { itemsChecked: result.items.checked, mismatches: result.mismatches.length, chainHead: result.chain.head },
        });
        return result;
      });
      if (opts.json) printJson(report);
      else process.stdout.write(render(report));
      // Exit now: a read MinIO refused (a damaged object answers 503) leaves minio-js's socket open until the
      // server's idle timeout, which would hold the process for ~30 s after the report is out.
      process.exit(report.ok ? 0 : 1);
    });
}
