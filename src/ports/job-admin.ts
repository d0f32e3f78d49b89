/** A job that failed for good (or is waiting for its retry to be asked for), as admins see it. */
export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  failedAt: Date | null;
  attemptsMade: number;
  reason: string;
  data: Record<string, unknown>;
}

export interface QueueStats {
  queue: string;
  counts: Record<string, number>;
  /** Age of the oldest job waiting to run, ms; null when none waits. */
  oldestWaitingMs: number | null;
}

/** Every evidock queue in the shared Redis (all dock hosts' and the shared ones), for admins. */
export interface JobAdmin {
  queueNames(): Promise<string[]>;
  stats(now: Date): Promise<QueueStats[]>;
  /** Failed jobs, newest first, in one queue or all. */
  failed(filter: { queue?: string; limit: number }): Promise<FailedJob[]>;
  /** The failed job with this id (in `queue`, or in whichever queue holds it). */
  findFailed(id: string, queue?: string): Promise<FailedJob[]>;
  /** Moves one failed job back to waiting; attempts start again. */
  retry(job: Pick<FailedJob, 'queue' | 'id'>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A secure job that failed for good left its file `failed` and its session `attention`; retrying it
 * reopens both first, so the retried job secures the file and the session can end `secured`.
 */
export interface FailedFileReopener {
  /** Returns whether the file was failed (and is now pending again). */
  reopenSessionFile(sessionId: string, relPath: string): Promise<boolean>;
}
