import { JobReleased, PermanentError } from '../../domain/errors.ts';
import { type JobName, jobId, jobNames, type JobPayloads, jobPriority, queueFor } from '../../domain/jobs.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FinalFailureHandler, JobQueues, ProcessorTable, Workers } from '../../ports/jobs.ts';
import type { ManualClock } from './manual-clock.ts';

export type MemoryJobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

export interface MemoryJob {
  id: string;
  name: JobName;
  queue: string;
  payload: JobPayloads[JobName];
  state: MemoryJobState;
  priority: number;
  attemptsMade: number;
  maxAttempts: number;
  backoffMs: number;
  /** When a delayed job (a retry) becomes due, in clock ms. */
  dueAtMs: number;
  result: Record<string, unknown> | null;
  failedReason: string | null;
  progress: Record<string, unknown> | null;
}

export interface MemoryJobSettings {
  dockHost: string;
  mediaQueuePrefix?: string;
  attempts: number;
  backoffMs: number;
  retries?: Partial<Record<JobName, { attempts: number; backoffMs: number }>>;
  /**
   * A ManualClock drives retries in virtual time: a drain moves it to the next retry's due time. Any
   * other clock (or `backoff: 'immediate'`) runs retries as soon as the previous attempt failed.
   */
  clock: ManualClock | Clock;
  backoff?: 'clock' | 'immediate';
}

interface Scheduler {
  name: JobName;
  payload: JobPayloads[JobName];
  everyMs: number;
  nextAtMs: number;
}

const isManual = (clock: Clock): clock is ManualClock => typeof (clock as ManualClock).set === 'function';

/**
 * Job queues in memory with BullMQ's semantics as evidock uses them: ids derived from the work
 * de-duplicate (a job id is kept after the job ends, as BullMQ keeps finished jobs), attempts with
 * exponential backoff, priorities, schedulers. Jobs run in this process, one at a time, when a test
 * drains the runner: deterministic.
 */
export class MemoryJobQueues implements JobQueues {
  readonly jobs = new Map<string, MemoryJob>();
  readonly schedulers = new Map<string, Scheduler>();
  private sequence = 0;

  constructor(readonly settings: MemoryJobSettings) {}

  nowMs(): number {
    return this.settings.clock.now().getTime();
  }

  queueOf(name: JobName): string {
    return queueFor(name, this.settings.dockHost, this.settings.mediaQueuePrefix);
  }

  private enqueue<N extends JobName>(name: N, payload: JobPayloads[N], id: string, retries: { attempts: number; backoffMs: number }): void {
    if (this.jobs.has(id)) return;
    this.sequence += 1;
    this.jobs.set(id, {
      id, name, queue: this.queueOf(name), payload: structuredClone(payload), state: 'waiting', priority: jobPriority(name, payload),
      attemptsMade: 0, maxAttempts: retries.attempts, backoffMs: retries.backoffMs, dueAtMs: this.nowMs(), result: null, failedReason: null, progress: null,
    });
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    this.enqueue(name, payload, jobId(name, payload), this.settings.retries?.[name] ?? this.settings);
  }

  async addMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void> {
    for (const payload of payloads) await this.add(name, payload);
  }

  async every<N extends JobName>(schedulerId: string, name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    const existing = this.schedulers.get(schedulerId);
    // As a BullMQ scheduler: upserting again changes it and keeps its timing; the first run is at once.
    this.schedulers.set(schedulerId, { name, payload, everyMs, nextAtMs: existing?.nextAtMs ?? this.nowMs() });
  }

  /** Adds the runs of schedulers that are due; each run is its own job, tried once. */
  fireSchedulers(): void {
    for (const [schedulerId, s] of this.schedulers) {
      while (s.nextAtMs <= this.nowMs()) {
        this.enqueue(s.name, s.payload, `repeat-${schedulerId}-${s.nextAtMs}`, { attempts: 1, backoffMs: 0 });
        s.nextAtMs += s.everyMs;
      }
    }
  }

  async counts(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const name of jobNames) result[this.queueOf(name)] = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0, prioritized: 0 };
    for (const job of this.jobs.values()) {
      const state = job.state === 'waiting' && job.priority > 0 ? 'prioritized' : job.state;
      result[job.queue]![state]! += 1;
    }
    return result;
  }

  /** Removes a job that is not running, as BullMQ's Queue.remove: its id can be added again. */
  remove(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.state === 'active') return false;
    return this.jobs.delete(id);
  }

  /** Jobs of one name (all when none is given), in the order they were added. */
  list(name?: JobName): MemoryJob[] {
    return [...this.jobs.values()].filter((j) => !name || j.name === name);
  }

  /** The next job to run among `names`: due, the unprioritized first (as BullMQ), then by order added. */
  nextDue(names: ReadonlySet<JobName>): MemoryJob | undefined {
    const now = this.nowMs();
    const due = [...this.jobs.values()].filter((j) => names.has(j.name) && (j.state === 'waiting' || j.state === 'delayed') && j.dueAtMs <= now);
    return due.sort((a, b) => a.priority - b.priority)[0];
  }

  /** The earliest due time of a delayed job among `names`, if any. */
  nextDelayedAt(names: ReadonlySet<JobName>): number | null {
    const delayed = [...this.jobs.values()].filter((j) => names.has(j.name) && j.state === 'delayed').map((j) => j.dueAtMs);
    return delayed.length > 0 ? Math.min(...delayed) : null;
  }

  /** Runs jobs in this process: see MemoryWorkers. */
  start(processors: ProcessorTable, onFinalFailure: FinalFailureHandler, names: readonly JobName[] = jobNames): MemoryWorkers {
    const missing = names.filter((name) => typeof processors[name] !== 'function');
    if (missing.length > 0) throw new Error(`no processor for job(s): ${missing.join(', ')}`);
    return new MemoryWorkers(this, processors, onFinalFailure, new Set(names));
  }

  async close(): Promise<void> {
    // Nothing to release: the jobs stay readable for the test's assertions.
  }
}

/** The in-process worker of MemoryJobQueues: runs due jobs of its names when drained. */
export class MemoryWorkers implements Workers {
  private paused = false;
  private closed = false;
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly queues: MemoryJobQueues,
    private readonly processors: ProcessorTable,
    private readonly onFinalFailure: FinalFailureHandler,
    private readonly names: ReadonlySet<JobName>,
  ) {}

  /**
   * Runs every due job until none is left; with a ManualClock and clock backoff, moves the clock to each
   * retry's due time. Returns how many runs it made. Schedulers fire only for time already passed.
   */
  async drain(maxRuns = 10_000): Promise<number> {
    const { clock, backoff = 'clock' } = this.queues.settings;
    let runs = 0;
    while (!this.paused && !this.closed) {
      this.queues.fireSchedulers();
      const job = this.queues.nextDue(this.names);
      if (job) {
        if ((runs += 1) > maxRuns) throw new Error(`MemoryWorkers.drain: more than ${maxRuns} runs; a job keeps adding work`);
        await this.run(job);
        continue;
      }
      const next = this.queues.nextDelayedAt(this.names);
      if (next === null || backoff !== 'clock' || !isManual(clock)) break;
      clock.set(new Date(next));
    }
    return runs;
  }

  private async run(job: MemoryJob): Promise<void> {
    const controller = new AbortController();
    this.running.add(controller);
    job.state = 'active';
    const processor = this.processors[job.name] as (p: unknown, ctx: Parameters<ProcessorTable[JobName]>[1]) => Promise<Record<string, unknown>>;
    try {
      job.result = await processor(structuredClone(job.payload), {
        signal: controller.signal,
        attempt: job.attemptsMade + 1,
        progress: async (value) => void (job.progress = value),
      });
      job.attemptsMade += 1;
      job.state = 'completed';
    } catch (error) {
      if (controller.signal.aborted && this.closed) {
        job.state = 'waiting'; // released at shutdown: runs again from the start, attempts untouched
        return;
      }
      job.attemptsMade += 1;
      if (this.fail(job, error as Error)) await this.onFinalFailure(job.name, job.payload, job.failedReason!, error instanceof PermanentError || (error as Error).name === 'UnrecoverableError');
    } finally {
      this.running.delete(controller);
    }
  }

  /** Records a failed attempt; true when the job will not run again. */
  private fail(job: MemoryJob, error: Error): boolean {
    job.failedReason = error.message;
    const retryable = !(error instanceof PermanentError) && error.name !== 'UnrecoverableError';
    if (retryable && job.attemptsMade < job.maxAttempts) {
      job.state = 'delayed';
      const immediate = this.queues.settings.backoff === 'immediate' || !isManual(this.queues.settings.clock);
      job.dueAtMs = this.queues.nowMs() + (immediate ? 0 : job.backoffMs * 2 ** (job.attemptsMade - 1));
      return false;
    }
    job.state = 'failed';
    return true;
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (this.running.size === 0) return;
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    for (const c of this.running) c.abort(new JobReleased('shutdown'));
  }
}
