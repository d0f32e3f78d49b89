import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryJobQueues, type MemoryWorkers } from '../../src/adapters/memory/memory-jobs.ts';
import { jobNames } from '../../src/domain/jobs.ts';
import type { ProcessorTable } from '../../src/ports/jobs.ts';
import { conformanceRetries, describeJobQueuesConformance } from '../support/conformance/job-queues.ts';

describeJobQueuesConformance('memory', async () => {
  const clock = new ManualClock();
  const queues = new MemoryJobQueues({ dockHost: 'dock1', clock, ...conformanceRetries });
  let workers: MemoryWorkers | null = null;
  return {
    queues,
    queueOf: (name) => queues.queueOf(name),
    start: (processors, onFinal, names) => (workers = queues.start(processors, onFinal, names)),
    settle: async () => void (await workers?.drain()),
    runFor: async () => void (await workers?.drain()),
    nowMs: () => clock.now().getTime(),
    close: () => queues.close(),
  };
});

describe('memory job queues: what only memory offers', () => {
  const noop = Object.fromEntries(jobNames.map((n) => [n, async () => ({ ran: n })])) as unknown as ProcessorTable;

  it('a scheduler runs at once and then every period of the clock; upserting it again adds no run', async () => {
    const clock = new ManualClock();
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock, attempts: 3, backoffMs: 10 });
    const workers = queues.start(noop, async () => undefined);
    await queues.every('deadlines', 'check-deadlines', { dockHost: 'dock1' }, 60_000);
    await queues.every('deadlines', 'check-deadlines', { dockHost: 'dock1' }, 60_000);
    expect(await workers.drain()).toBe(1);
    expect(await workers.drain()).toBe(0);
    clock.advance(59_999);
    expect(await workers.drain()).toBe(0);
    clock.advance(1);
    expect(await workers.drain()).toBe(1);
    expect(queues.list('check-deadlines').map((j) => j.state)).toEqual(['completed', 'completed']);
  });

  it("with 'immediate' backoff, retries run without moving the clock", async () => {
    const clock = new ManualClock();
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock, attempts: 2, backoffMs: 60_000, backoff: 'immediate' });
    const failing = { ...noop, 'media-probe': async () => { throw new Error('down'); } } as ProcessorTable;
    const finals: boolean[] = [];
    const workers = queues.start(failing, async (_n, _p, _r, permanent) => void finals.push(permanent));
    await queues.add('media-probe', { itemId: 'i', sha256: 's' });
    expect(await workers.drain()).toBe(2);
    expect(clock.now().toISOString()).toBe('2026-05-01T08:00:00.000Z');
    expect(finals).toEqual([false]);
  });

  it('important secure jobs run before the others, and the others in the order added', async () => {
    const clock = new ManualClock();
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock, attempts: 1, backoffMs: 0 });
    const order: string[] = [];
    const table = { ...noop, 'secure-file': async (p: { relPath: string }) => (order.push(p.relPath), {}) } as unknown as ProcessorTable;
    const file = (relPath: string, important: boolean) => ({ sessionId: 's', deviceSerial: 'D', mountPath: '/m', relPath, size: 1, mtimeMs: 1, kind: 'video' as const, itemId: relPath, important });
    await queues.addMany('secure-file', [file('a', false), file('b', true), file('c', false)]);
    await queues.start(table, async () => undefined).drain();
    expect(order).toEqual(['b', 'a', 'c']);
  });

  it("a removed job can be added again, as after BullMQ's Queue.remove", async () => {
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock: new ManualClock(), attempts: 1, backoffMs: 0 });
    const workers = queues.start(noop, async () => undefined);
    await queues.add('check-deadlines', { dockHost: 'dock1' });
    expect(await workers.drain()).toBe(1);
    await queues.add('check-deadlines', { dockHost: 'dock1' });
    expect(await workers.drain()).toBe(0);
    expect(queues.remove('check-deadlines-dock1')).toBe(true);
    await queues.add('check-deadlines', { dockHost: 'dock1' });
    expect(await workers.drain()).toBe(1);
  });

  it('closing past the grace time aborts a running job and releases it: waiting again, its attempt not counted', async () => {
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock: new ManualClock(), attempts: 3, backoffMs: 0 });
    const finals: string[] = [];
    const hanging = { ...noop, 'media-probe': (_p: unknown, ctx: { signal: AbortSignal }) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) } as unknown as ProcessorTable;
    const workers = queues.start(hanging, async (_n, _p, reason) => void finals.push(reason));
    await queues.add('media-probe', { itemId: 'i', sha256: 's' });
    const draining = workers.drain();
    await workers.close(20);
    await draining;
    expect(queues.list('media-probe').map((j) => [j.state, j.attemptsMade])).toEqual([['waiting', 0]]);
    expect(finals).toEqual([]);
  });

  it('refuses to start without a processor for a job name it should run', () => {
    const queues = new MemoryJobQueues({ dockHost: 'dock1', clock: new ManualClock(), attempts: 1, backoffMs: 0 });
    expect(() => queues.start({ ...noop, 'media-publish': undefined } as unknown as ProcessorTable, async () => undefined)).toThrow(/no processor for job\(s\): media-publish/);
  });
});
