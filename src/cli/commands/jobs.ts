import { failedJobJson } from '../../app/admin/contracts.ts';
import { listFailedJobs, retryFailedJobs } from '../../app/admin/failed-jobs.ts';
import type { FailedJob } from '../../ports/job-admin.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, positiveInt, printJson } from '../context.ts';


/** What a job worked on, in a few words: device and file, item, or alert. */
function subjectOf(j: FailedJob): string {
  const d = j.data;
  return [d.deviceSerial, d.relPath ?? d.itemId ?? d.alertId].filter((v) => typeof v === 'string').join(' ');
}

function renderJobs(jobs: FailedJob[], empty: string): string {
  if (jobs.length === 0) return `${empty}\n`;
  const lines = jobs.map((j) => `${j.failedAt?.toISOString() ?? '(time unknown)'}  ${j.queue}  ${j.id}\n    ${j.name} ${subjectOf(j)} after ${j.attemptsMade} attempt(s): ${j.reason}`);
  return `${lines.join('\n')}\n`;
}

/** Failed work for admins: list with reasons, retry one or all (both audited). */
export function registerJobs({ program, withCore }: CliContext): void {
  const jobs = program.command('jobs').description('failed jobs: list them with their reasons, retry them');

  jobs
    .command('failed')
    .description('failed jobs of every queue (or one), newest first, with the reason each failed')
    .option('--queue <name>', 'only this queue (e.g. secure-dock-pc-1)')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { queue?: string; limit: number; json?: boolean; by?: string }) => {
      const found = await withCore(async (core, config) => listFailedJobs(core, { queue: opts.queue, limit: opts.limit }, await actingIn(core, config, opts, 'admin:queues')));
      if (opts.json) printJson(found.map(failedJobJson));
      else process.stdout.write(renderJobs(found, 'No failed jobs.'));
    });

  jobs
    .command('retry [id]')
    .description('retry a failed job by id (see "jobs failed"), or every failed job with --all-failed')
    .option('--all-failed', 'retry every failed job (of --queue, or of all queues)')
    .option('--queue <name>', 'the queue of the job (needed when the id is failed in several), or of --all-failed')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (id: string | undefined, opts: { allFailed?: boolean; queue?: string; json?: boolean; by?: string }) => {
      if (!id === !opts.allFailed) throw new Error('give a job id or --all-failed (not both); "evidock jobs failed" lists the ids');
      const target = id ? { id, queue: opts.queue } : { allFailed: true as const, queue: opts.queue };
      const retried = await withCore(async (core, config) => retryFailedJobs(core, target, await actingIn(core, config, opts, 'admin:queues')));
      if (opts.json) printJson(retried.map(failedJobJson));
      else process.stdout.write(`${retried.length > 0 ? `Retried ${retried.length} job(s):\n` : ''}${renderJobs(retried, 'No failed jobs to retry.')}`);
    });
}
