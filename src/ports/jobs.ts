import type { JobName, JobPayloads } from '../domain/jobs.ts';

export interface JobContext {
  /** BullMQ's signal for this run: aborted when shutdown passes its grace time; stop, and the job is released. */
  signal: AbortSignal;
  attempt: number;
  progress(value: Record<string, unknown>): Promise<void>;
}

/** One processor per job name: loads, guards, acts, persists, returns what it did. */
export type Processor<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<Record<string, unknown>>;
export type ProcessorTable = { [N in JobName]: Processor<N> };

/**
 * Called once a job will not run again, so its subject records why: `permanent` for a PermanentError,
 * false when a transient failure used up the attempts.
 */
export type FinalFailureHandler = <N extends JobName>(name: N, payload: JobPayloads[N], reason: string, permanent: boolean) => Promise<void>;
export type FinalFailure<N extends JobName> = (payload: JobPayloads[N], reason: string, permanent: boolean) => Promise<void>;
/** What each job name leaves on its subject when it fails for good: the compiler refuses a missing row. */
export type FinalFailureTable = { [N in JobName]: FinalFailure<N> };

export interface JobQueues {
  add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void>;
  addMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void>;
  /** Runs `name` every `everyMs` (a BullMQ job scheduler: one per id, however many processes upsert it). */
  every<N extends JobName>(schedulerId: string, name: N, payload: JobPayloads[N], everyMs: number): Promise<void>;
  counts(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/** A process's workers. Shutdown: `pause()` every worker set at once, then `close(graceMs)` all at once. */
export interface Workers {
  /**
   * Waits up to graceMs for running jobs, then cancels them through their signal and releases them (not
   * failed) to their queues for another worker; closes the connections.
   */
  close(graceMs: number): Promise<void>;
  /** Take no new jobs for now; running ones go on. */
  pause(): Promise<void>;
  resume(): void;
}
