import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startServices } from '../../src/adapters/embedded/services.ts';
import { createLogger } from '../../src/log.ts';
import { embeddedTestConfig, tempDataDir } from './services.ts';

/**
 * Starts Redis, PostgreSQL and MinIO once for the whole integration run (on free ports, data in a fresh
 * temp folder) and hands their endpoints to tests: `inject('endpoints')`. Any service given by environment
 * is used instead of starting one:
 *   EVIDOCK_TEST_REDIS_URL, EVIDOCK_TEST_POSTGRES_URL (its role needs CREATEDB for freshDatabase),
 *   EVIDOCK_TEST_MINIO_URL with EVIDOCK_TEST_MINIO_ACCESS_KEY and EVIDOCK_TEST_MINIO_SECRET_KEY.
 * EVIDOCK_TEST_LOG_LEVEL (default "error") shows the servers' output; EVIDOCK_TEST_KEEP_DATA=1 keeps the folder.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  const external: Record<string, unknown> = {};
  if (env.EVIDOCK_TEST_REDIS_URL) external['redis.url'] = env.EVIDOCK_TEST_REDIS_URL;
  if (env.EVIDOCK_TEST_POSTGRES_URL) external['postgres.url'] = env.EVIDOCK_TEST_POSTGRES_URL;
  if (env.EVIDOCK_TEST_MINIO_URL) {
    external['minio.url'] = env.EVIDOCK_TEST_MINIO_URL;
    external['minio.accessKey'] = env.EVIDOCK_TEST_MINIO_ACCESS_KEY ?? null;
    external['minio.secretKey'] = env.EVIDOCK_TEST_MINIO_SECRET_KEY ?? null;
  }

  const dataDir = await tempDataDir();
  const config = await embeddedTestConfig(dataDir, external);
  const log = createLogger(env.EVIDOCK_TEST_LOG_LEVEL ?? 'error', process.stderr);
  const began = Date.now();
  const services = await startServices(config, log).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  log.info({ ms: Date.now() - began, dataDir }, 'test services ready');

  project.provide('endpoints', services.endpoints);
  project.provide('servicesConfig', config);

  return async () => {
    await services.stop();
    if (!env.EVIDOCK_TEST_KEEP_DATA) await rm(dataDir, { recursive: true, force: true });
  };
}
