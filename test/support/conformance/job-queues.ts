import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/domain/errors.ts';
import { type JobName, jobNames, type MediaJobPayload } from '../../../src/domain/jobs.ts';
import type { FinalFailureHandler, JobContext, JobQueues, ProcessorTable, Workers } from '../../../src/ports/jobs.ts';

/** One provider of the job ports (memory, BullMQ on Redis), fresh for each test: its own queue names. */
export interface JobQueuesSubject {
  queues: JobQueues;
  /** Queue name of a job name, as the provider names it. */
  queueOf(name: JobName): string;
  /** Starts workers for `names` only. */
  start(processors: ProcessorTable, onFinalFailure: FinalFailureHandler, names: JobName[]): Workers;
  /** Returns once no job of a started name waits, runs or waits for a retry. */
  settle(): Promise<void>;
  /** Lets the started workers run for a while: drains a memory runner, waits `ms` on a real one. */
  runFor(ms: number): Promise<void>;
  /** The provider's time in ms (virtual with a fake clock). */
  nowMs(): number;
  close(): Promise<void>;
}

/** Attempts and backoff every subject must be made with. */
export const conformanceRetries = { attempts: 3, backoffMs: 200 };

interface Run {
  name: JobName;
  payload: unknown;
  attempt: number;
  atMs: number;
}

/**
 * One behaviour for every provider of JobQueues and its workers. Media payloads say what the test
 * processor does: `ok`, `flaky-N` (fails the first N attempts), `transient` (always fails), `permanent`.
 */
export function describeJobQueuesConformance(label: string, makeSubject: () => Promise<JobQueuesSubject>): void {
  describe(`job queues conformance: ${label}`, () => {
    let s: JobQueuesSubject;
    let runs: Run[];
    let finals: Array<{ name: JobName; payload: unknown; reason: string; permanent: boolean }>;
    let workers: Workers | null;

    const processor = async (name: JobName, payload: unknown, ctx: JobContext) => {
      runs.push({ name, payload, attempt: ctx.attempt, atMs: s.nowMs() });
      const behaviour = (payload as MediaJobPayload).sha256 ?? 'ok';
      const flaky = /^flaky-(\d+)$/.exec(behaviour);
      if (behaviour === 'permanent') throw new PermanentError('the file is not a video', 'unplayable');
      if (behaviour === 'transient' || (flaky && ctx.attempt <= Number(flaky[1]))) throw new Error(`ECONNRESET on attempt ${ctx.attempt}`);
      return { did: behaviour };
    };
    const table = Object.fromEntries(jobNames.map((name) => [name, (payload: unknown, ctx: JobContext) => processor(name, payload, ctx)])) as unknown as ProcessorTable;
    const onFinal: FinalFailureHandler = async (name, payload, reason, permanent) => void finals.push({ name, payload, reason, permanent });
    const media = (itemId: string, sha256: string): MediaJobPayload => ({ itemId, sha256 });
    const start = (names: JobName[] = ['media-probe', 'deliver-alert']) => (workers = s.start(table, onFinal, names));

    beforeEach(async () => {
      s = await makeSubject();
      runs = [];
      finals = [];
      workers = null;
    });
    afterEach(async () => {
      await workers?.close(1000);
      await s.close();
    });

    it('runs each added job once, with its payload, on attempt 1', async () => {
      start();
      await s.queues.add('media-probe', media('i1', 'ok'));
      await s.queues.add('deliver-alert', { alertId: 'a1', status: 'firing' });
      await s.settle();
      // Two queues: their order is not promised.
      expect(runs.map((r) => [r.name, r.payload, r.attempt]).sort()).toEqual([['deliver-alert', { alertId: 'a1', status: 'firing' }, 1], ['media-probe', media('i1', 'ok'), 1]]);
      expect((await s.queues.counts())[s.queueOf('media-probe')]).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
      expect(finals).toEqual([]);
    });

    it('runs the same work once: ids derive from the payload, and stay taken after the job completed', async () => {
      start();
      await s.queues.addMany('media-probe', [media('i1', 'ok'), media('i1-again', 'ok'), media('i2', 'ok2')]);
      await s.queues.add('media-probe', media('i1', 'ok'));
      await s.settle();
      await s.queues.add('media-probe', media('i1', 'ok'));
      await s.settle();
      expect(runs.map((r) => (r.payload as MediaJobPayload).itemId).sort()).toEqual(['i1', 'i2']);
    });

    it('retries a transient failure with a growing backoff, then tells the final-failure handler once, not permanent', async () => {
      start();
      await s.queues.add('media-probe', media('i1', 'transient'));
      await s.settle();
      expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
      const [a, b, c] = runs.map((r) => r.atMs) as [number, number, number];
      expect(b - a).toBeGreaterThanOrEqual(conformanceRetries.backoffMs);
      expect(c - b).toBeGreaterThanOrEqual(2 * conformanceRetries.backoffMs);
      expect(finals).toEqual([{ name: 'media-probe', payload: media('i1', 'transient'), reason: 'ECONNRESET on attempt 3', permanent: false }]);
      expect((await s.queues.counts())[s.queueOf('media-probe')]).toMatchObject({ failed: 1, completed: 0 });
    });

    it('a transient failure that clears on a retry completes, and no final failure is told', async () => {
      start();
      await s.queues.add('media-probe', media('i1', 'flaky-1'));
      await s.settle();
      expect(runs.map((r) => r.attempt)).toEqual([1, 2]);
      expect(finals).toEqual([]);
      expect((await s.queues.counts())[s.queueOf('media-probe')]).toMatchObject({ completed: 1, failed: 0 });
    });

    it('a PermanentError is not retried: one run, the final-failure handler told once, permanent', async () => {
      start();
      await s.queues.add('media-probe', media('i1', 'permanent'));
      await s.settle();
      expect(runs).toHaveLength(1);
      expect(finals).toEqual([{ name: 'media-probe', payload: media('i1', 'permanent'), reason: 'the file is not a video', permanent: true }]);
    });

    it('runs only the job names it was started for; the others wait in their own queue', async () => {
      start(['deliver-alert']);
      await s.queues.add('media-probe', media('i1', 'ok'));
      await s.queues.add('deliver-alert', { alertId: 'a1', status: 'resolved' });
      await s.settle();
      expect(runs.map((r) => r.name)).toEqual(['deliver-alert']);
      const counts = await s.queues.counts();
      expect(counts[s.queueOf('media-probe')]).toMatchObject({ waiting: 1, completed: 0 });
      expect(counts[s.queueOf('deliver-alert')]).toMatchObject({ completed: 1 });
    });

    it('a paused worker takes no job until resumed', async () => {
      const w = start();
      await w.pause();
      await s.queues.add('media-probe', media('i1', 'ok'));
      await s.runFor(300);
      expect(runs).toEqual([]);
      w.resume();
      await s.settle();
      expect(runs).toHaveLength(1);
    });
  });
}
