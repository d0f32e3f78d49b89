import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../../log.ts';
import { assertPortFree, type EmbeddedStart, findOnPath, type ManagedChild, redactUrl, spawnChild, waitUntilReady } from './child.ts';
import { ensurePrivateDir } from './secrets.ts';

export function embeddedRedisUrl(port: number, password: string): string {
  return `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

/** One PING over a fresh connection that never retries on its own: the caller's loop does the retrying. */
export async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a bare "Connection is closed."; the 'error' event has the real cause.
  let cause: Error | undefined;
  client.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await client.connect().catch((error: Error) => {
      throw cause ?? error;
    });
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
  } finally {
    client.disconnect();
  }
}

/** BullMQ loses jobs silently if Redis may evict keys; warn about a configured server that allows it. */
async function checkEvictionPolicy(url: string, log: Logger): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    if (reply[1] && reply[1] !== 'noeviction') {
      log.warn({ service: 'redis', policy: reply[1] }, 'redis maxmemory-policy is not "noeviction": queued jobs can be lost under memory pressure');
    }
  } catch {
    /* CONFIG may be disabled on managed Redis: nothing to check then */
  } finally {
    client.disconnect();
  }
}

export interface RedisStart extends EmbeddedStart {
  port: number;
  password: string;
}

/**
 * Starts redis-server from a config file we write 0600 (the password must never appear on a command line,
 * where `ps` shows it). Append-only file for durability of the queues, noeviction so BullMQ never loses keys.
 */
export async function startEmbeddedRedis(options: RedisStart): Promise<ManagedChild> {
  const { port, log } = options;
  await assertPortFree('redis', port);
  const binary = findOnPath('redis-server');
  if (!binary) throw new Error('cannot start embedded redis: redis-server not found on PATH (run scripts/provision.sh, or configure redis.url)');

  const dir = join(options.dataDir, 'redis');
  ensurePrivateDir(dir);
  const confPath = join(dir, 'redis.conf');
  const conf = [
    '# Written by evidock at each start; edits are overwritten.',
    'bind 127.0.0.1',
    'protected-mode yes',
    `port ${port}`,
    'daemonize no',
    'supervised no',
    'logfile ""',
    `dir "${dir}"`,
    'appendonly yes',
    'appendfsync everysec',
    'maxmemory-policy noeviction',
    `requirepass ${options.password}`,
    '',
  ].join('\n');
  writeFileSync(confPath, conf, { mode: 0o600 });
  chmodSync(confPath, 0o600);

  const child = spawnChild({
    service: 'redis',
    command: binary,
    args: [confPath],
    cwd: dir,
    log,
    onUnexpectedExit: options.onUnexpectedExit,
  });
  const url = embeddedRedisUrl(port, options.password);
  try {
    await waitUntilReady('redis', `127.0.0.1:${port}`, () => pingRedis(url), options.timeoutMs, child);
  } catch (error) {
    await child.stop(5000);
    throw error;
  }
  return child;
}

/** A configured Redis: only wait for it to answer. */
export async function waitForExternalRedis(url: string, log: Logger, timeoutMs: number): Promise<void> {
  await waitUntilReady('redis', redactUrl(url), () => pingRedis(url), timeoutMs);
  await checkEvictionPolicy(url, log);
}
