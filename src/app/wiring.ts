import { BullJobQueues } from '../adapters/bullmq-jobs.ts';
import type { ServiceEndpoints } from '../adapters/embedded/services.ts';
import { MinioObjectStore } from '../adapters/minio-object-store.ts';
import { PgCatalog } from '../adapters/postgres/pg-catalog.ts';
import type { Config } from '../config/schema.ts';
import { taggingParts } from './tagging/wiring.ts';
import { integrityParts } from './integrity/wiring.ts';

/** Connects the catalog (migrating it), the evidence bucket (creating it) and the queues. */
export async function connectCore(config: Config, endpoints: ServiceEndpoints) {
  const catalog = await PgCatalog.connect(endpoints.postgresUrl);
  try {
    const store = new MinioObjectStore(endpoints.minio);
    await store.ensureBucket();
    const queues = new BullJobQueues({ redisUrl: endpoints.redisUrl, dockHost: config.dockHost, attempts: config.secure.attempts, backoffMs: config.secure.backoffMs });
    return {
      catalog,
      ...taggingParts(config, catalog.pool, catalog, store),
      store,
      queues,
      ...integrityParts(config, catalog.pool, store),
      async close() {
        await queues.close();
        await catalog.close();
      },
    };
  } catch (error) {
    await catalog.close();
    throw error;
  }
}

export type Core = Awaited<ReturnType<typeof connectCore>>;
