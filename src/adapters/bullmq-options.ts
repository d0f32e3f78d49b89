import type { JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { type JobName, type JobPayloads, jobTable } from '../domain/jobs.ts';
import type { Logger } from '../log.ts';
import { logErrors, watchErrors } from './error-watch.ts';

/** Attempts and backoff from the job's configuration section (`secure`, `media`, `alerts.webhook`). */
export interface RetrySettings {
  attempts: number;
  backoffMs: number;
}

/** What BullMQ does with a job once it runs: retries and how long it is kept, from the job table. */
export function runOptions(name: JobName, retry: RetrySettings): Omit<JobsOptions, 'jobId' | 'priority'> {
  const { options } = jobTable[name];
  return {
    ...(options.retry === 'configured' ? { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs } } : { attempts: 1 }),
    removeOnComplete: { age: options.keep.completedSec, count: options.keep.completedCount },
    removeOnFail: { age: options.keep.failedSec },
  };
}

/** The one builder of a job's BullMQ options, for queues and flows alike. */
export function jobOptions<N extends JobName>(name: N, payload: JobPayloads[N], retry: RetrySettings): JobsOptions {
  const spec = jobTable[name];
  return { jobId: spec.id(payload), priority: spec.priority(payload), ...runOptions(name, retry) };
}

/**
 * A Redis connection for BullMQ, whose errors are logged as `component` on change of state. BullMQ's
 * blocking commands need unlimited retries per request; failures surface as reconnects.
 */
export function bullConnection(url: string, component: string, log: Logger, options: { lazyConnect?: boolean } = {}) {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
  const watch = watchErrors(component, log);
  connection.on('ready', () => watch.recovered());
  return {
    connection,
    /** Logs the errors of a BullMQ object (queue, worker, flow producer) on this connection. */
    watch<E extends Parameters<typeof logErrors>[0]>(emitter: E): E {
      logErrors(emitter, watch);
      return emitter;
    },
  };
}
