import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { JobReleased, PermanentError } from '../domain/errors.ts';
import { type JobName, jobId, jobNames, type JobPayloads, jobPriority, queueFor } from '../domain/jobs.ts';
import type { Logger } from '../log.ts';
import type { JobObserver, JobOutcome } from '../ports/job-observer.ts';
import type { FinalFailureHandler, JobQueues, ProcessorTable, Workers } from '../ports/jobs.ts';

export interface JobSettings {
  redisUrl: string;
  dockHost: string;
  attempts: number;
  backoffMs: number;
  /** `media.queuePrefix`: names the media stage queues, shared by every worker of the installation. */
  mediaQueuePrefix: string;
  /** Attempts and backoff for job names that differ from the default above (alert deliveries). */
  retries?: Partial<Record<JobName, { attempts: number; backoffMs: number }>>;
}

// BullMQ's blocking commands need unlimited retries per request; failures surface as reconnects.
const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });

/** Queues of this dock host, one per job name's stage. */
export class BullJobQueues implements JobQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly connections: Redis[] = [];

  constructor(private readonly settings: JobSettings) {}

  private queue(name: JobName): Queue {
    const queueName = queueFor(name, this.settings.dockHost, this.settings.mediaQueuePrefix);
    let queue = this.queues.get(queueName);
    if (!queue) {
      const connection = connect(this.settings.redisUrl);
      this.connections.push(connection);
      queue = new Queue(queueName, { connection });
      queue.on('error', () => undefined); // connection errors are retried by ioredis; callers see failed calls
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  private options<N extends JobName>(name: N, payload: JobPayloads[N]) {
    return {
      jobId: jobId(name, payload),
      priority: jobPriority(name, payload),
      attempts: this.settings.retries?.[name]?.attempts ?? this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.retries?.[name]?.backoffMs ?? this.settings.backoffMs },
      // Completed jobs are kept a while for the dashboard; the catalog, not Redis, is the record.
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    };
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    await this.queue(name).add(name, payload, this.options(name, payload));
  }

  async addMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void> {
    for (let i = 0; i < payloads.length; i += 1000) {
      await this.queue(name).addBulk(payloads.slice(i, i + 1000).map((data) => ({ name, data, opts: this.options(name, data) })));
    }
  }

  async every<N extends JobName>(schedulerId: string, name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    await this.queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, {
      name,
      data: payload,
      // A failed run stays visible (and is alerted after a while); the next run comes anyway.
      opts: { attempts: 1, removeOnComplete: { age: 3600, count: 100 }, removeOnFail: { age: 7 * 24 * 3600 } },
    });
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

/** Starts one worker per stage queue named in `settings.concurrency`, each running the processor for its job name. */
export function startWorkers(settings: WorkerSettings, processors: ProcessorTable, onFinalFailure: FinalFailureHandler): Workers {
  const names = jobNames.filter((name) => settings.concurrency[name] !== undefined);
  const missing = names.filter((name) => typeof processors[name] !== 'function');
  if (missing.length > 0) throw new Error(`no processor for job(s): ${missing.join(', ')}`);
  const running = new Set<AbortController>();
  let shuttingDown = false;

  const run = async (job: Job, token?: string) => {
    const name = job.name as JobName;
    const controller = new AbortController();
    running.add(controller);
    const began = Date.now();
    const observe = (o: Pick<JobOutcome, 'outcome' | 'reason' | 'final' | 'result'>) =>
      settings.observer?.jobFinished({ name, queue: job.queueName, durationMs: Date.now() - began, payload: job.data, ...o });
    const log = settings.log.child({ job: name, jobId: job.id, attempt: job.attemptsMade + 1, sessionId: job.data.sessionId, deviceSerial: job.data.deviceSerial, itemId: job.data.itemId });
    try {
      const processor = processors[name] as (p: unknown, ctx: Parameters<ProcessorTable[JobName]>[1]) => Promise<Record<string, unknown>>;
      const result = await processor(job.data, {
        signal: controller.signal,
        attempt: job.attemptsMade + 1,
        progress: (value) => job.updateProgress(value),
      });
      log.info({ result }, 'job done');
      observe({ outcome: 'completed', reason: null, final: false, result });
      return result;
    } catch (error) {
      if (controller.signal.aborted && shuttingDown) {
        // Released, not failed: it runs again from the start on the next worker, attempts untouched.
        log.warn('job released at shutdown');
        observe({ outcome: 'released', reason: null, final: false, result: null });
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      const message = (error as Error).message;
      const permanent = error instanceof PermanentError;
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // A permanent failure is an expected outcome (an unplayable file): onFinalFailure logs it once, without
      // a stack; only failures that may be bugs or outages carry one here.
      if (!permanent) log[last ? 'error' : 'warn']({ err: error, willRetry: !last }, 'job failed');
      observe({ outcome: 'failed', reason: permanent ? error.code : (error as Error).name, final: last, result: null });
      if (last) await onFinalFailure(name, job.data, message, permanent);
      throw permanent ? new UnrecoverableError(message) : error;
    } finally {
      running.delete(controller);
    }
  };

  const connections: Redis[] = [];
  const workers = names.map((name) => {
    const connection = connect(settings.redisUrl);
    connections.push(connection);
    const worker = new Worker(queueFor(name, settings.dockHost, settings.mediaQueuePrefix), run, {
      connection,
      concurrency: settings.concurrency[name],
      lockDuration: settings.lockDurationMs,
      ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
    });
    worker.on('error', (error) => settings.log.warn({ err: error, queue: worker.name }, 'worker error; retrying'));
    return worker;
  });

  return {
    async pause() {
      await Promise.all(workers.map((w) => w.pause(true)));
    },
    resume() {
      for (const w of workers) w.resume();
    },
    async close(graceMs: number) {
      shuttingDown = true;
      const closing = Promise.all(workers.map((w) => w.close()));
      const timer = setTimeout(() => {
        for (const c of running) c.abort(new JobReleased('shutdown'));
      }, graceMs);
      await closing;
      clearTimeout(timer);
      for (const c of connections) c.disconnect();
    },
  };
}
