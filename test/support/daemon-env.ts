import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { freshBucketName, freshDatabase } from './isolation.ts';

/**
 * The environment of a daemon (and of the CLI next to it) using the test run's services, isolated: its own
 * database, bucket, data folder and dock host name, watching `dockDir`.
 */
export async function configuredServicesEnv(dockDir: string, hostPrefix: string): Promise<Record<string, string>> {
  const endpoints = inject('endpoints');
  return {
    EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), `${hostPrefix}-data-`)),
    EVIDOCK_REDIS_URL: endpoints.redisUrl,
    EVIDOCK_POSTGRES_URL: await freshDatabase(endpoints),
    EVIDOCK_MINIO_URL: `http://${endpoints.minio.endPoint}:${endpoints.minio.port}`,
    EVIDOCK_MINIO_ACCESS_KEY: endpoints.minio.accessKey,
    EVIDOCK_MINIO_SECRET_KEY: endpoints.minio.secretKey,
    EVIDOCK_MINIO_BUCKET: freshBucketName(),
    EVIDOCK_DOCK_PATHS: dockDir,
    EVIDOCK_DOCK_SETTLE_MS: '300',
    EVIDOCK_DOCK_HOST: `${hostPrefix}-${randomBytes(3).toString('hex')}`,
  };
}
