import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { BullJobQueues, startWorkers } from '../../src/adapters/bullmq-jobs.ts';
import { jobNames, type JobName, jobId, queueFor } from '../../src/domain/jobs.ts';
import { createLogger } from '../../src/log.ts';
import type { JobOutcome } from '../../src/ports/job-observer.ts';
import type { Processor, ProcessorTable, Workers } from '../../src/ports/jobs.ts';
import { waitFor } from '../support/harness.ts';

/**
 * The three-phase stop on real BullMQ: pause every worker, then close with a grace time after which running
 * jobs are cancelled through BullMQ's processor signal and released — not failed — for another worker.
 */
describe('worker shutdown (real BullMQ)', () => {
  const { redisUrl } = inject('endpoints');
  const dockHost = `stop-${randomBytes(4).toString('hex')}`;
  const log = createLogger('silent');
  const settings = { redisUrl, dockHost, attempts: 3, backoffMs: 100, mediaQueuePrefix: `stop-media-${dockHost}`, log };
  const queues = new BullJobQueues(settings);
  const open: Workers[] = [];
  const finalFailures: string[] = [];
  const outcomes: Array<Pick<JobOutcome, 'outcome' | 'payload'>> = [];

  function start(scan: Processor<'scan-device'>): Workers {
    const unexpected = async () => {
      throw new Error('no such job in this test');
    };
    const table = { ...Object.fromEntries(jobNames.map((n) => [n, unexpected])), 'scan-device': scan } as ProcessorTable;
    const workers = startWorkers(
      { ...settings, concurrency: { 'scan-device': 2 }, lockDurationMs: 30_000, log, observer: { jobFinished: (o) => outcomes.push(o) } },
      table,
      async (name: JobName, _payload, reason) => void finalFailures.push(`${name}: ${reason}`),
    );
    open.push(workers);
    return workers;
  }

  const scanJob = (sessionId: string) => ({ sessionId, deviceSerial: 'D', mountPath: '/m' });
  const jobState = async (sessionId: string) => {
    const queue = new Queue(queueFor('scan-device', dockHost), { connection: { url: redisUrl } });
    try {
      const job = await queue.getJob(jobId('scan-device', scanJob(sessionId)));
      return job ? { state: await job.getState(), attemptsMade: job.attemptsMade, attemptsStarted: job.attemptsStarted, returnvalue: job.returnvalue } : null;
    } finally {
      await queue.close();
    }
  };

  afterAll(() => queues.close());
  afterEach(async () => {
    for (const w of open.splice(0)) await w.close(0);
    outcomes.length = 0;
    finalFailures.length = 0;
  });

  it('cancels jobs still running at graceMs, releases them (not failed), and another worker completes them; the stop takes graceMs', async () => {
    const started = new Set<string>();
    const first = start(async (payload, ctx) => {
      started.add(payload.sessionId);
      // A long job that stops when told, as uploads and ffmpeg do.
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }));
      throw new Error('unreachable');
    });
    await queues.add('scan-device', scanJob('LONG-1'));
    await queues.add('scan-device', scanJob('LONG-2'));
    await waitFor('both jobs running', async () => started.size === 2);

    const graceMs = 800;
    const began = Date.now();
    await first.pause();
    await first.close(graceMs);
    const stopMs = Date.now() - began;
    expect(stopMs).toBeGreaterThanOrEqual(graceMs);
    expect(stopMs).toBeLessThan(graceMs + 500);

    expect(outcomes.map((o) => o.outcome)).toEqual(['released', 'released']);
    for (const id of ['LONG-1', 'LONG-2']) expect(await jobState(id)).toMatchObject({ state: 'waiting', attemptsMade: 0 });

    start(async (payload) => ({ finishedBy: 'second', sessionId: payload.sessionId }));
    for (const id of ['LONG-1', 'LONG-2']) {
      await waitFor(`${id} completed`, async () => (await jobState(id))?.state === 'completed', 10_000);
      // Started twice, counted once: the released run used no attempt (BullMQ counts the completing one).
      expect(await jobState(id)).toMatchObject({ attemptsStarted: 2, attemptsMade: 1, returnvalue: { finishedBy: 'second' } });
    }
    expect(finalFailures).toEqual([]);
  });

  it('lets a job that ends within graceMs finish on its worker, and stops as soon as it has', async () => {
    let running = false;
    const workers = start(async (_payload, ctx) => {
      running = true;
      await new Promise((r) => setTimeout(r, 300));
      return { aborted: ctx.signal.aborted };
    });
    await queues.add('scan-device', scanJob('SHORT-1'));
    await waitFor('the job running', async () => running);
    const began = Date.now();
    await workers.pause();
    await workers.close(10_000);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(await jobState('SHORT-1')).toMatchObject({ state: 'completed', returnvalue: { aborted: false } });
  });

  it('takes no new job once paused', async () => {
    const ran: string[] = [];
    const workers = start(async (payload) => {
      ran.push(payload.sessionId);
      return {};
    });
    await queues.add('scan-device', scanJob('BEFORE'));
    await waitFor('the first job done', async () => ran.length === 1);
    await workers.pause();
    await queues.add('scan-device', scanJob('AFTER-PAUSE'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(ran).toEqual(['BEFORE']);
    expect(await jobState('AFTER-PAUSE')).toMatchObject({ state: 'waiting', attemptsMade: 0 });
    workers.resume();
    await waitFor('the job added while paused done after resume', async () => ran.length === 2);
  });

  it('does not wait past graceMs + 5 s for a job that ignores its cancel', async () => {
    let running = false;
    const workers = start(async () => {
      running = true;
      await new Promise((r) => setTimeout(r, 8000).unref());
      return {};
    });
    await queues.add('scan-device', scanJob('DEAF-1'));
    await waitFor('the job running', async () => running);
    const began = Date.now();
    await workers.close(300);
    const stopMs = Date.now() - began;
    expect(stopMs).toBeGreaterThanOrEqual(5300);
    expect(stopMs).toBeLessThan(6300);
  });
});
