import type { FailedJob } from '../../ports/job-admin.ts';
import type { AdminDeps } from './deps.ts';

/** Who asks, for the audit log: a person's badge or login name, and from where (`cli@<host>`, an API client's address). */
export interface Requester {
  actor: string;
  from: string;
}

/** Failed jobs with their reasons, newest first; the listing is audited (it shows file paths and serials). */
export async function listFailedJobs(deps: Pick<AdminDeps, 'admin' | 'clock'>, filter: { queue?: string; limit: number }, who: Requester): Promise<FailedJob[]> {
  const jobs = await deps.admin.jobs.failed(filter);
  await deps.admin.audit.append({
    ...who, action: 'jobs-failed', target: filter.queue ? `queue:${filter.queue}` : 'queues', reason: null, result: 'ok',
    details: { count: jobs.length, limit: filter.limit },
  }, deps.clock.now());
  return jobs;
}

/** Nothing retried: no such failed job (`not-found`), or its id is failed in several queues (`ambiguous`). */
export class RetryRefused extends Error {
  override name = 'RetryRefused';
  constructor(
    message: string,
    readonly code: 'not-found' | 'ambiguous',
  ) {
    super(message);
  }
}

/** Which failed jobs to retry: one by id (its queue named when the id is in several), or every failed job. */
export type RetryTarget = { id: string; queue?: string } | { allFailed: true; queue?: string };

/**
 * Retries failed jobs, each audited. A secure job's file and session are reopened first (its final
 * failure closed them), so the retried job secures the file and the session can still end `secured`.
 */
export async function retryFailedJobs(deps: Pick<AdminDeps, 'admin' | 'clock'>, target: RetryTarget, who: Requester): Promise<FailedJob[]> {
  const { jobs, audit, reopener } = deps.admin;
  const chosen = 'id' in target ? await jobs.findFailed(target.id, target.queue) : await jobs.failed({ queue: target.queue, limit: 100_000 });
  if ('id' in target) {
    if (chosen.length === 0) throw new RetryRefused(`no failed job ${target.id}${target.queue ? ` in queue ${target.queue}` : ''}; "evidock jobs failed" lists them`, 'not-found');
    if (chosen.length > 1) throw new RetryRefused(`job id ${target.id} is failed in several queues (${chosen.map((j) => j.queue).join(', ')}); name one with --queue`, 'ambiguous');
  }
  for (const job of chosen) {
    if (job.name === 'secure-file' && typeof job.data.sessionId === 'string' && typeof job.data.relPath === 'string') {
      await reopener.reopenSessionFile(job.data.sessionId, job.data.relPath);
    }
    await jobs.retry(job);
    await audit.append({
      ...who, action: 'job-retry', target: `job:${job.queue}/${job.id}`, reason: null, result: 'ok',
      details: { queue: job.queue, jobId: job.id, name: job.name, failedReason: job.reason },
    }, deps.clock.now());
  }
  return chosen;
}
