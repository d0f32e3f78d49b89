import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type RunningServices, startServices } from '../../src/adapters/embedded/services.ts';
import { createLogger } from '../../src/log.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';
import { embeddedTestConfig, tempDataDir } from '../support/services.ts';

describe('an object-store outage while securing (a MinIO of its own, stopped and started again)', () => {
  let minio: RunningServices | undefined;
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
    await minio?.stop();
  });

  it('jobs wait and retry; nothing is lost, nothing crashes, and the device is secured once MinIO is back', async () => {
    const shared = inject('endpoints');
    // Redis and PostgreSQL are the shared ones; only MinIO is started here, so it can be stopped.
    const config = await embeddedTestConfig(await tempDataDir(), { 'redis.url': shared.redisUrl, 'postgres.url': shared.postgresUrl, 'log.level': 'silent' });
    const log = createLogger('silent');
    minio = await startServices(config, log);
    h = await createHarness({ 'secure.attempts': 30, 'secure.backoffMs': 100 }, minio.endpoints.minio);

    await minio.stop();
    const mountPath = makeDevice(join(h.dockDir, 'OUTAGE-1'), { 'a.mp4': 20_000, 'b.mp4': 30_000, 'c.jpg': 500 });
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: null });
    await new Promise((r) => setTimeout(r, 2500));
    const during = (await h.deps.catalog.recentSessions(3600_000, new Date())).find((s) => s.deviceSerial === 'OUTAGE-1');
    expect(during).toMatchObject({ state: 'securing', filesSecured: 0, filesFailed: 0 });

    minio = await startServices(config, log);
    const session = await h.waitForSession('OUTAGE-1');
    expect(session).toMatchObject({ state: 'secured', filesSecured: 3, filesFailed: 0 });
    expect(await h.deps.catalog.queryItems({ device: 'OUTAGE-1' })).toHaveLength(3);
  });
});
