import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PermanentError } from '../domain/errors.ts';
import { type JobName, jobNames, type JobPayloads, queueFor } from '../domain/jobs.ts';
import type { Logger } from '../log.ts';
import type { JobObserver, JobOutcome } from '../ports/job-observer.ts';
import type { FinalFailureHandler, JobQueues, ProcessorTable, Workers } from '../ports/jobs.ts';
import { bullConnection, jobOptions, type RetrySettings, runOptions } from './bullmq-options.ts';

export interface JobSettings {
  redisUrl: string;
  dockHost: string;
  attempts: number;
  backoffMs: number;
  /** `media.queuePrefix`: names the media stage queues, shared by every worker of the installation. */
  mediaQueuePrefix: string;
  /** Attempts and backoff for job names that differ from the default above (alert deliveries). */
  retries?: Partial<Record<JobName, RetrySettings>>;
  /** Where connection errors are logged. */
  log: Logger;
}

/** Queues of this dock host, one per job name's stage. */
export class BullJobQueues implements JobQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly connections: Redis[] = [];

  constructor(private readonly settings: JobSettings) {}

  private queue(name: JobName): Queue {
    const queueName = queueFor(name, this.settings.dockHost, this.settings.mediaQueuePrefix);
    let queue = this.queues.get(queueName);
    if (!queue) {
      const redis = bullConnection(this.settings.redisUrl, `queue ${queueName}`, this.settings.log);
      this.connections.push(redis.connection);
      queue = redis.watch(new Queue(queueName, { connection: redis.connection }));
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  private retry(name: JobName): RetrySettings {
    return this.settings.retries?.[name] ?? this.settings;
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    await this.queue(name).add(name, payload, jobOptions(name, payload, this.retry(name)));
  }

  async addMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void> {
    for (let i = 0; i < payloads.length; i += 1000) {
      await this.queue(name).addBulk(payloads.slice(i, i + 1000).map((data) => ({ name, data, opts: jobOptions(name, data, this.retry(name)) })));
    }
  }

  async every<N extends JobName>(schedulerId: string, name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    await this.queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data: payload, opts: runOptions(name, this.retry(name)) });
  }

  async counts(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const name of jobNames) {
      const queue = this.queue(name);
      result[queue.name] = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    }
    return result;
  }

  async close(): Promise<void> {
    // BullMQ leaves connections it was given open: close them after the queues.
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const c of this.connections.splice(0)) c.disconnect();
    this.queues.clear();
  }
}

export interface WorkerSettings extends JobSettings {
  /** Jobs at once per job name; a worker is started for each name listed here, and only for those. */
  concurrency: Partial<Record<JobName, number>>;
  lockDurationMs: number;
  /** How often BullMQ looks for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  log: Logger;
  /** Told how each run ended (metrics). */
  observer?: JobObserver;
}

/** Jobs that ignore the cancel this long past the grace time are left to their lock's expiry. */
const IGNORED_CANCEL_MS = 5000;
const SHUTDOWN = 'shutdown';

/**
 * The BullMQ processor for every job name: runs the table's processor with the job's abort signal, and
 * sorts how it ended — done, released at shutdown, failed (to be retried), or failed for good.
 */
function jobRunner(settings: WorkerSettings, processors: ProcessorTable, onFinalFailure: FinalFailureHandler, state: { paused: boolean; shuttingDown: boolean }) {
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    // BullMQ hands a signal to every processor that declares a third parameter, as this one does.
    if (!signal) throw new Error(`BullMQ ran job ${job.id} without an abort signal`);
    const name = job.name as JobName;
    const began = Date.now();
    const observe = (o: Pick<JobOutcome, 'outcome' | 'reason' | 'final' | 'result'>) =>
      settings.observer?.jobFinished({ name, queue: job.queueName, durationMs: Date.now() - began, payload: job.data, ...o });
    const log = settings.log.child({ job: name, jobId: job.id, attempt: job.attemptsMade + 1, sessionId: job.data.sessionId, deviceSerial: job.data.deviceSerial, itemId: job.data.itemId });
    const release = async (why: string) => {
      // Released, not failed: back to its queue for the next worker, attempts untouched.
      log.warn(why);
      observe({ outcome: 'released', reason: null, final: false, result: null });
      await job.moveToWait(token);
      return new WaitingError();
    };
    // A worker paused while it waited for a job still takes the one that ends its wait (BullMQ does not
    // look at its pause again): give it back untouched.
    if (state.paused || state.shuttingDown) throw await release('job taken while paused or stopping; released');
    try {
      const processor = processors[name] as (p: unknown, ctx: Parameters<ProcessorTable[JobName]>[1]) => Promise<Record<string, unknown>>;
      const result = await processor(job.data, { signal, attempt: job.attemptsMade + 1, progress: (value) => job.updateProgress(value) });
      log.info({ result }, 'job done');
      observe({ outcome: 'completed', reason: null, final: false, result });
      return result;
    } catch (error) {
      if (signal.aborted && state.shuttingDown) throw await release('job released at shutdown');
      const message = (error as Error).message;
      const permanent = error instanceof PermanentError;
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // A permanent failure is an expected outcome (an unplayable file): onFinalFailure logs it once, without
      // a stack; only failures that may be bugs or outages carry one here.
      if (!permanent) log[last ? 'error' : 'warn']({ err: error, willRetry: !last }, 'job failed');
      observe({ outcome: 'failed', reason: permanent ? error.code : (error as Error).name, final: last, result: null });
      if (last) await onFinalFailure(name, job.data, message, permanent);
      throw permanent ? new UnrecoverableError(message) : error;
    }
  };
}

/** Starts one worker per stage queue named in `settings.concurrency`, each running the processor for its job name. */
export function startWorkers(settings: WorkerSettings, processors: ProcessorTable, onFinalFailure: FinalFailureHandler): Workers {
  const names = jobNames.filter((name) => settings.concurrency[name] !== undefined);
  const missing = names.filter((name) => typeof processors[name] !== 'function');
  if (missing.length > 0) throw new Error(`no processor for job(s): ${missing.join(', ')}`);
  const state = { paused: false, shuttingDown: false };
  const run = jobRunner(settings, processors, onFinalFailure, state);

  const connections: Redis[] = [];
  const workers = names.map((name) => {
    const queueName = queueFor(name, settings.dockHost, settings.mediaQueuePrefix);
    const redis = bullConnection(settings.redisUrl, `worker ${queueName}`, settings.log);
    connections.push(redis.connection);
    return redis.watch(
      new Worker(queueName, run, {
        connection: redis.connection,
        concurrency: settings.concurrency[name],
        lockDuration: settings.lockDurationMs,
        ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
      }),
    );
  });

  return {
    async pause() {
      state.paused = true;
      await Promise.all(workers.map((w) => w.pause(true)));
    },
    resume() {
      state.paused = false;
      for (const w of workers) w.resume().catch((error: unknown) => settings.log.error({ err: error, queue: w.name }, 'worker did not resume'));
    },
    async close(graceMs: number) {
      state.shuttingDown = true;
      const closing = Promise.all(workers.map((w) => w.close())).then(() => true);
      const cancel = setTimeout(() => {
        for (const w of workers) w.cancelAllJobs(SHUTDOWN);
      }, graceMs);
      let giveUp: NodeJS.Timeout | undefined;
      const closed = await Promise.race([closing, new Promise<false>((resolve) => (giveUp = setTimeout(() => resolve(false), graceMs + IGNORED_CANCEL_MS)))]);
      clearTimeout(cancel);
      clearTimeout(giveUp);
      if (!closed) settings.log.error({ graceMs }, 'jobs still running after their cancel; their locks expire and they run again elsewhere');
      for (const c of connections) c.disconnect();
    },
  };
}
