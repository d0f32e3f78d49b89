import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { freePorts } from './ports.ts';

/**
 * A fresh data folder for embedded services. mkdtemp makes it 0700; PostgreSQL runs as the `postgres`
 * user when we are root and must be able to enter it, hence 0755 (the service folders inside stay 0700).
 */
export async function tempDataDir(prefix = 'evidock-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** A config for embedded services on free ports under `dataDir`, ignoring the caller's environment and config files. */
export async function embeddedTestConfig(dataDir: string, overrides: Record<string, unknown> = {}): Promise<Config> {
  const [redis, postgres, minio, consolePort] = await freePorts(4);
  return loadConfig({
    env: {},
    cwd: dataDir,
    overrides: {
      dataDir,
      'log.level': 'warn',
      'redis.port': redis,
      'postgres.port': postgres,
      'minio.port': minio,
      'minio.consolePort': consolePort,
      ...overrides,
    },
  });
}
