import { BullJobQueues } from '../adapters/bullmq-jobs.ts';
import type { ServiceEndpoints } from '../adapters/embedded/services.ts';
import { MinioObjectStore } from '../adapters/minio-object-store.ts';
import { PgCatalog } from '../adapters/postgres/pg-catalog.ts';
import { PgDocks } from '../adapters/postgres/pg-docks.ts';
import type { Config } from '../config/schema.ts';
import { taggingParts } from './tagging/wiring.ts';
import { integrityParts } from './integrity/wiring.ts';
import { mediaPorts } from './media/wiring.ts';
import { adminParts } from './admin/wiring.ts';

/** Connects the catalog (migrating it), the evidence bucket (creating it) and the queues. */
export async function connectCore(config: Config, endpoints: ServiceEndpoints) {
  const catalog = await PgCatalog.connect(endpoints.postgresUrl);
  try {
    const store = new MinioObjectStore(endpoints.minio);
    await store.ensureBucket();
    const queues = new BullJobQueues({
      redisUrl: endpoints.redisUrl, dockHost: config.dockHost, attempts: config.secure.attempts, backoffMs: config.secure.backoffMs, mediaQueuePrefix: config.media.queuePrefix,
      retries: { 'deliver-alert': { attempts: config.alerts.webhook.attempts, backoffMs: config.alerts.webhook.backoffMs } },
    });
    // Tagging extends locks to a checklist row's retention class; the lock keeper reads the class from the checklist.
    const tagging = taggingParts(config, catalog.pool, catalog, store, (itemId, actor) => integrity.locks.protectItem(itemId, actor));
    const integrity = integrityParts(config, catalog.pool, store, tagging.retentionClassOf);
    const media = mediaPorts(config, catalog.pool, endpoints.redisUrl, (itemId, act) => tagging.tagging.retagItem(itemId, act));
    const admin = adminParts(config, endpoints, catalog.pool, store);
    return {
      catalog,
      docks: new PgDocks(catalog.pool),
      ...tagging,
      store,
      queues,
      ...integrity,
      media,
      admin,
      async close() {
        await admin.close();
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

export type Core = Awaited<ReturnType<typeof connectCore>>;
