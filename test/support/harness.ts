import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import type { ServiceEndpoints } from '../../src/adapters/embedded/services.ts';
import { DockController } from '../../src/app/dock/controller.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger } from '../../src/log.ts';
import { compose, type System } from '../../src/main/compose.ts';
import { startDockWorkers } from '../../src/main/roles/dock.ts';
import { startMediaWorkers } from '../../src/main/roles/worker.ts';
import type { SessionProgress } from '../../src/ports/catalog.ts';
import { systemClock } from '../../src/ports/clock.ts';
import type { ProcessorTable, Workers } from '../../src/ports/jobs.ts';
import { freshBucketName, freshDatabase } from './isolation.ts';

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes a device folder: path → content (string or byte count of random data). */
export function makeDevice(root: string, files: Record<string, string | number | Buffer>, mtime?: Date): string {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'number' ? randomBytes(content) : content);
    if (mtime) utimesSync(path, mtime, mtime);
  }
  return root;
}

export interface Harness {
  config: Config;
  /** The services as this harness uses them: its own database and bucket. */
  endpoints: ServiceEndpoints;
  /** The composed process (every adapter, built once by src/main/compose.ts) over this harness's services. */
  deps: System;
  dock: DockController;
  dockDir: string;
  /** Starts the dock workers; `wrap` may decorate the processors (to inject faults). */
  startWorkers(wrap?: (table: ProcessorTable) => ProcessorTable): void;
  /** Starts the media workers (the worker role) on this harness's own media queues. */
  startMediaWorkers(): Promise<void>;
  stopWorkers(graceMs?: number): Promise<void>;
  waitForSession(serial: string, done?: (s: SessionProgress) => boolean): Promise<SessionProgress>;
  close(): Promise<void>;
}

/** Real PostgreSQL (a fresh database), real MinIO (a fresh bucket), real Redis (a fresh dock host name). */
export async function createHarness(overrides: Record<string, unknown> = {}, minio?: ServiceEndpoints['minio']): Promise<Harness> {
  const endpoints = { ...inject('endpoints'), ...(minio ? { minio } : {}) };
  const dockDir = mkdtempSync(join(tmpdir(), 'evidock-dock-'));
  const config = loadConfig({
    env: {},
    cwd: tmpdir(),
    overrides: {
      dockHost: `test-${randomBytes(4).toString('hex')}`,
      'media.queuePrefix': `media-test-${randomBytes(4).toString('hex')}`,
      'media.workDir': mkdtempSync(join(tmpdir(), 'evidock-media-')),
      'dock.paths': [dockDir],
      'secure.backoffMs': 50,
      'secure.attempts': 3,
      'log.level': process.env.EVIDOCK_TEST_LOG ?? 'silent',
      ...overrides,
    },
  });
  const own: ServiceEndpoints = {
    ...endpoints,
    postgresUrl: await freshDatabase(endpoints),
    minio: { ...endpoints.minio, bucket: freshBucketName() },
  };
  const deps = await compose(config, own, { log: createLogger(config.log.level), clock: systemClock });
  let workers: Workers | null = null;
  let mediaWorkers: Workers | null = null;

  const harness: Harness = {
    config,
    endpoints: own,
    deps,
    dockDir,
    dock: new DockController(deps),
    startWorkers(wrap = (t) => t) {
      workers = startDockWorkers(deps, { wrap, admin: false });
    },
    async startMediaWorkers() {
      mediaWorkers = await startMediaWorkers(deps);
    },
    async stopWorkers(graceMs = 5000) {
      await workers?.close(graceMs);
      await mediaWorkers?.close(graceMs);
      workers = null;
      mediaWorkers = null;
    },
    async waitForSession(serial, done = (s) => ['secured', 'attention', 'interrupted', 'refused'].includes(s.state)) {
      return waitFor(`session of ${serial}`, async () => {
        const sessions = await deps.catalog.recentSessions(3600_000, new Date());
        const mine = sessions.filter((s) => s.deviceSerial === serial).at(-1);
        return mine && done(mine) ? mine : null;
      });
    },
    async close() {
      await harness.stopWorkers();
      await deps.close();
      rmSync(config.media.workDir!, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The environment for `evidock` (CLI or daemon process) using this harness's services, database, bucket and media queues. */
export function harnessEnv(h: Harness): Record<string, string> {
  const { endpoints, config } = h;
  return {
    EVIDOCK_REDIS_URL: endpoints.redisUrl,
    EVIDOCK_POSTGRES_URL: endpoints.postgresUrl,
    EVIDOCK_MINIO_URL: `http://${endpoints.minio.endPoint}:${endpoints.minio.port}`,
    EVIDOCK_MINIO_ACCESS_KEY: endpoints.minio.accessKey,
    EVIDOCK_MINIO_SECRET_KEY: endpoints.minio.secretKey,
    EVIDOCK_MINIO_BUCKET: endpoints.minio.bucket,
    EVIDOCK_MEDIA_QUEUE_PREFIX: config.media.queuePrefix,
  };
}
