import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { FailedJob, JobAdmin, QueueStats } from '../ports/job-admin.ts';
import { bullConnection } from './bullmq-options.ts';

/** BullMQ's key prefix: every queue keeps `bull:<name>:meta` (among others). */
const PREFIX = 'bull';
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/**
 * Every evidock queue in the shared Redis, found by its keys: each dock host has its own scan, secure and
 * check queues, so the queues a dashboard must show are only known from Redis itself.
 */
export class BullJobAdmin implements JobAdmin {
  private readonly connection: Redis;
  private readonly watch: ReturnType<typeof bullConnection>['watch'];
  private readonly queues = new Map<string, Queue>();

  constructor(redisUrl: string, log: Logger) {
    // Reconnects on its own; callers see failed calls, the log sees the outage once.
    ({ connection: this.connection, watch: this.watch } = bullConnection(redisUrl, 'job admin', log, { lazyConnect: true }));
    this.watch(this.connection);
  }

  async queueNames(): Promise<string[]> {
    const names = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.connection.scan(cursor, 'MATCH', `${PREFIX}:*:meta`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) names.add(key.slice(PREFIX.length + 1, -':meta'.length));
    } while (cursor !== '0');
    return [...names].sort();
  }

  /** The Queue object for a name (for the dashboard too), made once. */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.watch(new Queue(name, { connection: this.connection, prefix: PREFIX }));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async stats(now: Date): Promise<QueueStats[]> {
    return Promise.all(
      (await this.queueNames()).map(async (name) => {
        const queue = this.queue(name);
        const counts = await queue.getJobCounts(...STATES);
        // The wait list takes new jobs at its head: the oldest waiting job is its last element.
        const [oldest] = await queue.getJobs(['wait'], -1, -1);
        return { queue: name, counts, oldestWaitingMs: oldest ? Math.max(0, now.getTime() - oldest.timestamp) : null };
      }),
    );
  }

  private toFailed(queue: string, job: { id?: string; name: string; finishedOn?: number; attemptsMade: number; failedReason: string; data: unknown }): FailedJob {
    return {
      queue,
      id: job.id ?? '',
      name: job.name,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      attemptsMade: job.attemptsMade,
      reason: job.failedReason,
      data: (job.data ?? {}) as Record<string, unknown>,
    };
  }

  async failed(filter: { queue?: string; limit: number }): Promise<FailedJob[]> {
    const names = filter.queue ? [filter.queue] : await this.queueNames();
    const lists = await Promise.all(
      names.map(async (name) => (await this.queue(name).getFailed(0, filter.limit - 1)).map((job) => this.toFailed(name, job))),
    );
    return lists.flat().sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0)).slice(0, filter.limit);
  }

  async findFailed(id: string, queue?: string): Promise<FailedJob[]> {
    const names = queue ? [queue] : await this.queueNames();
    const found = await Promise.all(
      names.map(async (name) => {
        const q = this.queue(name);
        const job = await q.getJob(id);
        return job && (await job.isFailed()) ? [this.toFailed(name, job)] : [];
      }),
    );
    return found.flat();
  }

  async retry(job: Pick<FailedJob, 'queue' | 'id'>): Promise<void> {
    const found = await this.queue(job.queue).getJob(job.id);
    if (!found) throw new Error(`job ${job.id} is no longer in queue ${job.queue}`);
    await found.retry('failed');
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.connection.disconnect();
  }
}
