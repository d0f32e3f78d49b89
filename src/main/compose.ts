import type { EvidenceLocks } from '../ports/evidence-locks.ts';
import { mountQueueDashboard } from '../adapters/bull-board-dashboard.ts';
import { BullJobAdmin } from '../adapters/bullmq-admin.ts';
import { BullMediaFlows } from '../adapters/bullmq-flows.ts';
import { BullJobQueues } from '../adapters/bullmq-jobs.ts';
import { resolveEndpoints, type ServiceEndpoints } from '../adapters/embedded/services.ts';
import { FfmpegTools } from '../adapters/ffmpeg/ffmpeg-tools.ts';
import { MinioObjectLock } from '../adapters/minio-object-lock.ts';
import { MinioObjectRanges } from '../adapters/minio-object-ranges.ts';
import { MinioObjectStore } from '../adapters/minio-object-store.ts';
import { PgAlertStore } from '../adapters/postgres/pg-alerts.ts';
import { PgAuditLog } from '../adapters/postgres/pg-audit-log.ts';
import { PgCaseRecords } from '../adapters/postgres/pg-case-records.ts';
import { PgCatalog } from '../adapters/postgres/pg-catalog.ts';
import { PgCredentials } from '../adapters/postgres/pg-credentials.ts';
import { PgDeadlineFacts } from '../adapters/postgres/pg-deadline-facts.ts';
import { PgDocks } from '../adapters/postgres/pg-docks.ts';
import { PgItemSearch } from '../adapters/postgres/pg-item-search.ts';
import { PgLinks } from '../adapters/postgres/pg-links.ts';
import { PgLockRecords } from '../adapters/postgres/pg-lock-records.ts';
import { PgMediaCatalog } from '../adapters/postgres/pg-media-catalog.ts';
import { PgRegistry } from '../adapters/postgres/pg-registry.ts';
import { PgFailedFileReopener } from '../adapters/postgres/pg-reopener.ts';
import { PgTagStore } from '../adapters/postgres/pg-tag-store.ts';
import { PgVerifySubjects } from '../adapters/postgres/pg-verify-subjects.ts';
import { PromMetrics } from '../adapters/prometheus-metrics.ts';
import { ServiceReadiness } from '../adapters/readiness.ts';
import { SharpImages } from '../adapters/sharp-images.ts';
import { statfsDiskSpace } from '../adapters/statfs-disk-space.ts';
import { WebhookNotifier } from '../adapters/webhook-notifier.ts';
import type { FastifyInstance } from 'fastify';
import type { AdminPorts } from '../app/admin/ports.ts';
import { LockKeeper } from '../app/integrity/evidence-locks.ts';
import type { MediaPorts } from '../app/media/ports.ts';
import { Tagging } from '../app/tagging/tagging.ts';
import { loadChecklist } from '../config/checklist-file.ts';
import type { Config } from '../config/schema.ts';
import { type RetentionClass, rowById } from '../domain/checklist.ts';
import type { Logger } from '../log.ts';
import type { Clock } from '../ports/clock.ts';

/** What every part of the process shares: one logger, one clock. */
export interface Ambient {
  log: Logger;
  clock: Clock;
}

/**
 * Builds every adapter once, over one PostgreSQL pool, one evidence bucket and one clock, and the use-case
 * objects that hold state (lock keeper, tagging). Everything else in the process takes parts of what this
 * returns; nothing outside src/adapters/ and src/main/ constructs an adapter.
 */
export async function compose(config: Config, endpoints: ServiceEndpoints, { log, clock }: Ambient) {
  // The checklist is validated first, so a bad one stops the start before anything is connected.
  const checklist = loadChecklist(config.tagging.checklist);
  const catalog = await PgCatalog.connect(endpoints.postgresUrl, log);
  try {
    const pool = catalog.pool;
    const store = new MinioObjectStore(endpoints.minio);
    await store.ensureBucket();
    const queues = new BullJobQueues({
      redisUrl: endpoints.redisUrl, dockHost: config.dockHost, attempts: config.secure.attempts, backoffMs: config.secure.backoffMs, mediaQueuePrefix: config.media.queuePrefix,
      retries: { 'deliver-alert': { attempts: config.alerts.webhook.attempts, backoffMs: config.alerts.webhook.backoffMs } }, log,
    });
    const audit = new PgAuditLog(pool);
    const registry = new PgRegistry(pool);
    const records = new PgCaseRecords(pool);
    const tags = new PgTagStore(pool);
    const objects = new MinioObjectLock(store.client, store.bucket);
    const lockRecords = new PgLockRecords(pool);
    // The lock keeper reads an item's retention class from its checklist row; tagging extends locks when tags change.
    const retentionClassOf = (rowId: string): RetentionClass | null => rowById(checklist, rowId)?.retentionClass ?? null;
    const locks: EvidenceLocks = new LockKeeper({ config, clock, store, lock: objects, records: lockRecords, checklistClass: retentionClassOf });
    const tagging = new Tagging({ tags, registry, catalog, store, checklist, settings: config.tagging, clock, keepLocks: (itemId, actor) => locks.protectItem(itemId, actor) });
    // One ffmpeg adapter: the secure step's probe and the media stages' tools.
    const tools = new FfmpegTools(config.media.probeTimeoutMs);
    const m = config.media;
    const media: MediaPorts = {
      catalog: new PgMediaCatalog(pool),
      flows: new BullMediaFlows({ redisUrl: endpoints.redisUrl, mediaQueuePrefix: m.queuePrefix, attempts: m.attempts, backoffMs: m.backoffMs, log }),
      tools,
      images: new SharpImages(),
      retag: (itemId, act) => tagging.retagItem(itemId, act),
    };
    const jobAdmin = new BullJobAdmin(endpoints.redisUrl, log);
    const readiness = new ServiceReadiness(endpoints.redisUrl, pool, store, log);
    const admin: AdminPorts = {
      alerts: new PgAlertStore(pool),
      notifier: new WebhookNotifier(config.alerts.webhook),
      facts: new PgDeadlineFacts(pool),
      devices: registry,
      cases: records,
      jobs: jobAdmin,
      reopener: new PgFailedFileReopener(pool),
      audit,
      readiness,
      disk: statfsDiskSpace,
      metrics: new PromMetrics(),
    };
    return {
      config,
      log,
      clock,
      endpoints,
      catalog,
      docks: new PgDocks(pool),
      store,
      queues,
      probe: tools,
      audit,
      logReader: audit,
      trail: audit,
      registry,
      records,
      tags,
      tagging,
      checklist,
      settings: config.tagging,
      retentionClassOf,
      objects,
      lockRecords,
      locks,
      verifySubjects: new PgVerifySubjects(pool),
      media,
      admin,
      credentials: new PgCredentials(pool),
      items: new PgItemSearch(pool),
      links: new PgLinks(pool),
      ranges: new MinioObjectRanges(store.client, store.bucket),
      mountQueueDashboard: (app: FastifyInstance, basePath: string) => mountQueueDashboard(app, jobAdmin, basePath),
      /** Closes the connections (queues, flows, job admin, readiness probe, pool); the servers stay up. */
      async close() {
        readiness.close();
        await jobAdmin.close();
        await queues.close();
        await media.flows.close();
        await catalog.close();
      },
    };
  } catch (error) {
    await catalog.close();
    throw error;
  }
}

/** The composed process: every adapter and service, built once. */
export type System = Awaited<ReturnType<typeof compose>>;

/** For a command-line process: the configured (or a running daemon's embedded) services. */
export function composeFromConfig(config: Config, ambient: Ambient): Promise<System> {
  return compose(config, resolveEndpoints(config), ambient);
}
