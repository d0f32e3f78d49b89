import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { minioClient } from '../../src/adapters/embedded/minio.ts';
import { resolveEndpoints, startServices } from '../../src/adapters/embedded/services.ts';
import { createLogger } from '../../src/log.ts';
import { freshBucketName, freshDatabase } from '../support/isolation.ts';
import { embeddedTestConfig, tempDataDir } from '../support/services.ts';

const endpoints = inject('endpoints');
const config = inject('servicesConfig');
const allEmbedded = !config.redis.url && !config.postgres.url && !config.minio.url;
const log = createLogger('silent');
const mode = (path: string) => statSync(path).mode & 0o777;

/** Every process whose parent chain leads to one of `roots` (PostgreSQL backends, MinIO helpers...). */
function descendants(roots: number[]): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      /* exited while we looked */
    }
  }
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('the run-wide services', () => {
  it('redis answers, with noeviction and an append-only file', async () => {
    const redis = new Redis(endpoints.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe('PONG');
      if (!config.redis.url) {
        expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
        expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        expect(await redis.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('postgres answers as evidock, which may create databases', async () => {
    const client = new pg.Client({ connectionString: endpoints.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ user: string; createdb: boolean }>(
        'select current_user as user, rolcreatedb as createdb from pg_roles where rolname = current_user',
      );
      expect(rows[0]).toEqual({ user: config.postgres.url ? rows[0]!.user : 'evidock', createdb: true });
      if (!config.postgres.url) {
        const listen = await client.query<{ listen_addresses: string }>('show listen_addresses');
        expect(listen.rows[0]!.listen_addresses).toBe('127.0.0.1');
      }
    } finally {
      await client.end();
    }
  });

  it('minio answers with the credentials', async () => {
    if (!config.minio.url) {
      const health = await fetch(`http://${endpoints.minio.endPoint}:${endpoints.minio.port}/minio/health/live`);
      expect(health.status).toBe(200);
    }
    const client = minioClient(endpoints.minio);
    const bucket = freshBucketName();
    await client.makeBucket(bucket, endpoints.minio.region);
    expect((await client.listBuckets()).map((b) => b.name)).toContain(bucket);
    await client.removeBucket(bucket);
  });

  it('gives each test file a database of its own', async () => {
    const url = await freshDatabase(endpoints);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string }>('select current_database() as db');
      expect(rows[0]!.db).toMatch(/^evidock_t_[0-9a-f]{12}$/);
    } finally {
      await client.end();
    }
    expect(freshBucketName()).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    expect(freshBucketName()).not.toBe(freshBucketName());
  });
});

describe.runIf(allEmbedded)('embedded services', () => {
  it('keeps the secrets in a 0600 file and the service folders owner-only', () => {
    const secrets = join(config.dataDir, 'secrets.json');
    expect(mode(secrets)).toBe(0o600);
    // MinIO's root user is kept apart from what the CLI and the core read.
    expect(mode(join(config.dataDir, 'minio-root.json'))).toBe(0o600);
    expect(readFileSync(secrets, 'utf8')).not.toContain(JSON.parse(readFileSync(join(config.dataDir, 'minio-root.json'), 'utf8')).password);
    for (const service of ['redis', 'postgres', 'minio']) expect(mode(join(config.dataDir, service))).toBe(0o700);
    expect(mode(join(config.dataDir, 'redis', 'redis.conf'))).toBe(0o600);
    expect(existsSync(join(config.dataDir, 'postgres', '.initdb-password'))).toBe(false);
  });

  it('lets CLI commands compute the same endpoints from config and the secrets file', () => {
    expect(resolveEndpoints(config)).toEqual(endpoints);
    expect(() => resolveEndpoints({ ...config, dataDir: join(config.dataDir, 'missing') })).toThrow(
      /evidock has not been started with data dir .*missing/,
    );
  });

  it('refuses a second start on the same ports, naming each service and port', async () => {
    const attempt = startServices(config, log);
    await expect(attempt).rejects.toThrow(new RegExp(`redis: 127\\.0\\.0\\.1:${config.redis.port} .*already in use`));
    await expect(attempt).rejects.toThrow(new RegExp(`postgres: 127\\.0\\.0\\.1:${config.postgres.port} .*already in use`));
    await expect(attempt).rejects.toThrow(new RegExp(`minio: 127\\.0\\.0\\.1:${config.minio.port} .*already in use`));
    // ...and the running servers are untouched.
    const redis = new Redis(endpoints.redisUrl, { maxRetriesPerRequest: 1 });
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });
});

describe('a separate set of embedded services', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await tempDataDir();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no process behind after stop()', async () => {
    const services = await startServices(await embeddedTestConfig(dataDir), log);
    const pids = Object.values(services.pids);
    expect(pids).toHaveLength(3);
    // A short-lived helper (PostgreSQL's startup process) may end between listing and checking: keep the living.
    const tree = descendants(pids).filter(alive);
    expect(tree.length).toBeGreaterThan(3); // PostgreSQL's checkpointer, walwriter...

    await services.stop();
    await services.stop(); // a second call is harmless
    expect(tree.filter(alive)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)('explains when the postgres user cannot reach the data folder', async () => {
    const hidden = join(dataDir, 'hidden');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(hidden, 'data'), { recursive: true, mode: 0o700 });
    const attempt = startServices(await embeddedTestConfig(join(hidden, 'data')), log);
    await expect(attempt).rejects.toThrow(/"postgres" user, which cannot reach .*may not enter .*hidden/);
  });
});
