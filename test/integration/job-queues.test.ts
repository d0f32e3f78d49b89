import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { BullJobQueues, startWorkers } from '../../src/adapters/bullmq-jobs.ts';
import { type JobName, queueFor } from '../../src/domain/jobs.ts';
import { createLogger } from '../../src/log.ts';
import type { Workers } from '../../src/ports/jobs.ts';
import { conformanceRetries, describeJobQueuesConformance } from '../support/conformance/job-queues.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeJobQueuesConformance('BullMQ on real Redis', async () => {
  // Queue names of their own per test: nothing left by another test is seen.
  const settings = { redisUrl: inject('endpoints').redisUrl, dockHost: `conf-${randomBytes(4).toString('hex')}`, mediaQueuePrefix: `conf-${randomBytes(4).toString('hex')}`, ...conformanceRetries };
  const queues = new BullJobQueues(settings);
  const queueOf = (name: JobName) => queueFor(name, settings.dockHost, settings.mediaQueuePrefix);
  let started: JobName[] = [];
  let workers: Workers | null = null;
  return {
    queues,
    queueOf,
    start: (processors, onFinal, names) => {
      started = names;
      const concurrency = Object.fromEntries(names.map((n) => [n, 1]));
      return (workers = startWorkers({ ...settings, concurrency, lockDurationMs: 30_000, log: createLogger('silent') }, processors, onFinal));
    },
    settle: async () => {
      const deadline = Date.now() + 20_000;
      for (let quiet = 0; quiet < 2 && Date.now() < deadline; await sleep(100)) {
        const counts = await queues.counts();
        const busy = started.some((n) => Object.entries(counts[queueOf(n)] ?? {}).some(([state, count]) => state !== 'completed' && state !== 'failed' && count > 0));
        quiet = busy ? 0 : quiet + 1;
      }
    },
    runFor: sleep,
    nowMs: () => Date.now(),
    close: async () => {
      await workers?.close(1000);
      await queues.close();
    },
  };
});
