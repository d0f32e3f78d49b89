import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BullJobQueues } from '../../src/adapters/bullmq-jobs.ts';
import type { ManagedChild } from '../../src/adapters/embedded/child.ts';
import { embeddedRedisUrl, startEmbeddedRedis } from '../../src/adapters/embedded/redis.ts';
import { createLogger } from '../../src/log.ts';
import { waitFor } from '../support/harness.ts';
import { freePorts } from '../support/ports.ts';
import { tempDataDir } from '../support/services.ts';

/** A Redis of its own, stopped and started again under a queue: the log says so twice, not once per retry. */
describe('a Redis outage under a job queue (real Redis, real ioredis retries)', () => {
  let redis: ManagedChild | undefined;
  let dataDir = '';
  afterAll(async () => {
    await redis?.stop(5000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the first error with the queue name and the recovery with the number of errors, nothing in between', async () => {
    dataDir = await tempDataDir();
    const [port] = await freePorts(1);
    const start = () => startEmbeddedRedis({ port: port!, password: 'outage-test', dataDir, log: createLogger('silent'), timeoutMs: 20_000 });
    redis = await start();

    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const queues = new BullJobQueues({ redisUrl: embeddedRedisUrl(port!, 'outage-test'), dockHost: 'outage-host', attempts: 1, backoffMs: 100, mediaQueuePrefix: 'outage-media', log: createLogger('info', sink) });
    try {
      await queues.add('scan-device', { sessionId: 'S1', deviceSerial: 'D', mountPath: '/m' });

      await redis.stop(5000);
      // ioredis reconnects with a growing delay (50 ms, 100 ms, …): a dozen attempts in these seconds.
      await new Promise((r) => setTimeout(r, 4000));
      redis = await start();
      await queues.add('scan-device', { sessionId: 'S2', deviceSerial: 'D', mountPath: '/m' });
      await waitFor('the recovery logged', async () => lines.some((l) => /working again/.test(String(l.msg))), 10_000);
    } finally {
      await queues.close();
    }

    const about = lines.filter((l) => l.component === 'queue scan-outage-host');
    expect(about.map((l) => l.msg)).toEqual(['queue scan-outage-host: error; retrying in the background', 'queue scan-outage-host: working again']);
    expect(about[0]).toMatchObject({ level: 50, err: { message: expect.stringMatching(/ECONNREFUSED|Connection is closed|ECONNRESET/) } });
    expect(about[1]!.errors).toBeGreaterThan(3);
  });
});
