import type { JobName } from '../domain/jobs.ts';

/** How one run of a job ended, for metrics. */
export interface JobOutcome {
  name: JobName;
  queue: string;
  durationMs: number;
  outcome: 'completed' | 'failed' | 'released';
  /** For failures: the PermanentError's code, or the error's class name for transient ones. */
  reason: string | null;
  /** A failure after which the job will not run again. */
  final: boolean;
  payload: Record<string, unknown>;
  /** What a completed job's processor returned. */
  result: Record<string, unknown> | null;
}

export interface JobObserver {
  jobFinished(outcome: JobOutcome): void;
}
