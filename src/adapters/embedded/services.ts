import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import { type ExitListener, type ManagedChild, redactUrl, type ServiceName } from './child.ts';
import { type MinioEndpoint, parseMinioUrl, startEmbeddedMinio, waitForExternalMinio } from './minio.ts';
import { embeddedPostgresUrl, startEmbeddedPostgres, waitForExternalPostgres } from './postgres.ts';
import { embeddedRedisUrl, startEmbeddedRedis, waitForExternalRedis } from './redis.ts';
import { loadOrCreateMinioRoot, loadOrCreateSecrets, readSecrets, type Secrets } from './secrets.ts';

export type { ServiceName } from './child.ts';

export interface ServiceEndpoints {
  /** e.g. redis://:password@127.0.0.1:16379 */
  redisUrl: string;
  /** e.g. postgres://evidock:password@127.0.0.1:15432/evidock */
  postgresUrl: string;
  minio: MinioEndpoint;
}

export interface RunningServices {
  endpoints: ServiceEndpoints;
  /** Process ids of the servers this call started (absent: configured, not started by us). */
  readonly pids: Partial<Record<ServiceName, number>>;
  /** Stops only the children this call started; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long each service may take to answer; default 60 s (a first PostgreSQL start runs initdb). */
  readyTimeoutMs?: number;
  /** Called when a server we started dies on its own (it is also logged at error). The daemon should stop. */
  onUnexpectedExit?: ExitListener;
}

/** Anything embedded needs the generated secrets; a fully configured deployment needs none. */
function needsSecrets(config: Config): boolean {
  return !config.redis.url || !config.postgres.url || !config.minio.url;
}

function endpointsFrom(config: Config, secrets: Secrets | null): ServiceEndpoints {
  const secret = <K extends keyof Secrets>(key: K): string => {
    if (!secrets) throw new Error(`internal: secret ${key} needed but not loaded`);
    return secrets[key];
  };
  const { minio } = config;
  return {
    redisUrl: config.redis.url ?? embeddedRedisUrl(config.redis.port, secret('redisPassword')),
    postgresUrl: config.postgres.url ?? embeddedPostgresUrl(config.postgres.port, secret('postgresPassword')),
    minio: minio.url
      ? {
          ...parseMinioUrl(minio.url),
          // loadConfig guarantees both keys when minio.url is set.
          accessKey: minio.accessKey ?? '',
          secretKey: minio.secretKey ?? '',
          region: minio.region,
          bucket: minio.bucket,
        }
      : {
          endPoint: '127.0.0.1',
          port: minio.port,
          useSSL: false,
          accessKey: secret('minioUser'),
          secretKey: secret('minioPassword'),
          region: minio.region,
          bucket: minio.bucket,
        },
  };
}

/**
 * For CLI commands that talk to a running daemon: the daemon's endpoints from config + secrets file,
 * starting nothing. Throws "evidock has not been started with data dir X" when the secrets are missing.
 */
export function resolveEndpoints(config: Config): ServiceEndpoints {
  return endpointsFrom(config, needsSecrets(config) ? readSecrets(config.dataDir) : null);
}

/**
 * Daemon startup: starts each service whose url is null (data under <dataDir>/{redis,postgres,minio}) and
 * waits for each configured one, all three in parallel. Either all answer, or whatever this call started is
 * stopped again and one error names every service that failed and its address.
 */
export async function startServices(config: Config, log: Logger, options: StartOptions = {}): Promise<RunningServices> {
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const secrets = needsSecrets(config) ? loadOrCreateSecrets(config.dataDir) : null;
  const endpoints = endpointsFrom(config, secrets);
  const common = { dataDir: config.dataDir, log, timeoutMs, onUnexpectedExit: options.onUnexpectedExit };

  const timed = async (service: ServiceName, embedded: boolean, start: () => Promise<ManagedChild | null>) => {
    const began = Date.now();
    const child = await start();
    log.info({ service, embedded, ms: Date.now() - began, pid: child?.pid }, `${service} ready`);
    return child;
  };

  const results = await Promise.allSettled([
    timed('redis', !config.redis.url, async () => {
      if (!config.redis.url) return startEmbeddedRedis({ ...common, port: config.redis.port, password: secrets!.redisPassword });
      await waitForExternalRedis(config.redis.url, log, timeoutMs);
      return null;
    }),
    timed('postgres', !config.postgres.url, async () => {
      if (!config.postgres.url) {
        return startEmbeddedPostgres({
          ...common,
          port: config.postgres.port,
          password: secrets!.postgresPassword,
          adminPassword: secrets!.postgresAdminPassword,
        });
      }
      await waitForExternalPostgres(config.postgres.url, timeoutMs);
      return null;
    }),
    timed('minio', !config.minio.url, async () => {
      if (!config.minio.url) {
        const root = loadOrCreateMinioRoot(config.dataDir);
        return startEmbeddedMinio({ ...common, binary: config.minio.binary, endpoint: endpoints.minio, root, consolePort: config.minio.consolePort });
      }
      await waitForExternalMinio(config.minio.url, endpoints.minio, timeoutMs);
      return null;
    }),
  ]);

  const children = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  const stopAll = async () => {
    await Promise.all(children.map((child) => child.stop(child.service === 'postgres' ? 30_000 : 15_000)));
  };
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    await stopAll();
    const message = failures.length === 1 ? failures[0]!.message : `services failed to start:\n${failures.map((f) => `  - ${f.message}`).join('\n')}`;
    throw new Error(message, { cause: failures[0] });
  }

  log.info(
    {
      redis: redactUrl(endpoints.redisUrl),
      postgres: redactUrl(endpoints.postgresUrl),
      minio: `${endpoints.minio.useSSL ? 'https' : 'http'}://${endpoints.minio.endPoint}:${endpoints.minio.port}`,
    },
    'services ready',
  );
  let stopping: Promise<void> | null = null;
  return {
    endpoints,
    pids: Object.fromEntries(children.map((c) => [c.service, c.pid])),
    stop: () => (stopping ??= stopAll()),
  };
}
