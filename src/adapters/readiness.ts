import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { DependencyName, DependencyState, Readiness } from '../ports/readiness.ts';
import { logErrors, watchErrors } from './error-watch.ts';
import type { MinioObjectStore } from './minio-object-store.ts';
import { migrationNames } from './postgres/migrate.ts';

/** Each probe gets this long: a readiness answer must come quickly even when a service hangs. */
const PROBE_TIMEOUT_MS = 3000;

async function probe(name: DependencyName, run: () => Promise<string>): Promise<DependencyState> {
  const began = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true, detail, ms: Date.now() - began };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, ms: Date.now() - began };
  } finally {
    clearTimeout(timer);
  }
}

/** Redis answers PING, PostgreSQL a query, MinIO has the bucket, and every migration of this build is applied. */
export class ServiceReadiness implements Readiness {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly pool: pg.Pool,
    private readonly store: MinioObjectStore,
    log: Logger,
  ) {
    // No offline queue: a command while disconnected fails at once instead of waiting for a reconnect.
    this.redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    logErrors(this.redis, watchErrors('readiness redis', log), { emitter: this.redis, event: 'ready' });
  }

  async check(): Promise<DependencyState[]> {
    return Promise.all([
      probe('redis', async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        return this.redis.ping();
      }),
      probe('postgres', async () => {
        await this.pool.query('SELECT 1');
        return 'answers';
      }),
      probe('minio', async () => {
        const { bucket } = this.store;
        if (!(await this.store.client.bucketExists(bucket))) throw new Error(`bucket ${bucket} does not exist`);
        return `bucket ${bucket} exists`;
      }),
      probe('migrations', async () => {
        const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM schema_migrations');
        const applied = new Set(rows.map((r) => r.name));
        const expected = migrationNames();
        const missing = expected.filter((n) => !applied.has(n));
        if (missing.length > 0) throw new Error(`not applied: ${missing.join(', ')}`);
        return `${expected.length} of ${expected.length} applied`;
      }),
    ]);
  }

  close(): void {
    this.redis.disconnect();
  }
}
