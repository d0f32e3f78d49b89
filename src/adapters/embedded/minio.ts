import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import { assertPortFree, type EmbeddedStart, findOnPath, isExecutable, type ManagedChild, spawnChild, waitUntilReady } from './child.ts';
import { provisionDaemonUser } from './minio-admin.ts';
import { ensurePrivateDir, type MinioRoot } from './secrets.ts';

export interface MinioEndpoint {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
}

/** `http://host:9000` → the parts the minio client wants. */
export function parseMinioUrl(url: string): Pick<MinioEndpoint, 'endPoint' | 'port' | 'useSSL'> {
  const parsed = new URL(url);
  const useSSL = parsed.protocol === 'https:';
  return { endPoint: parsed.hostname, port: parsed.port ? Number(parsed.port) : useSSL ? 443 : 80, useSSL };
}

export function minioClient(endpoint: MinioEndpoint): Client {
  const { endPoint, port, useSSL, accessKey, secretKey, region } = endpoint;
  return new Client({ endPoint, port, useSSL, accessKey, secretKey, region });
}

/**
 * config.minio.binary, else PATH, else where `go install` puts it ($GOPATH/bin, ~/go/bin, /root/go/bin):
 * scripts/provision.sh builds MinIO from source because no distribution package exists.
 */
export function findMinioBinary(configured: string | null): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(`cannot start embedded minio: minio.binary ${configured} is not an executable file (run scripts/provision.sh, or fix minio.binary)`);
  }
  const onPath = findOnPath('minio');
  if (onPath) return onPath;
  const goBins = [process.env.GOBIN, process.env.GOPATH && join(process.env.GOPATH, 'bin'), join(homedir(), 'go', 'bin'), '/root/go/bin'];
  for (const dir of goBins) {
    if (dir && existsSync(join(dir, 'minio')) && isExecutable(join(dir, 'minio'))) return join(dir, 'minio');
  }
  throw new Error(
    'cannot start embedded minio: no minio server binary found (looked at minio.binary, PATH, $GOBIN, $GOPATH/bin, ~/go/bin). ' +
      'Run scripts/provision.sh, set minio.binary (env EVIDOCK_MINIO_BINARY), or configure minio.url.',
  );
}

/** MinIO's liveness endpoint, then a signed request proving the credentials work. */
async function probeEmbedded(endpoint: MinioEndpoint): Promise<void> {
  const response = await fetch(`http://${endpoint.endPoint}:${endpoint.port}/minio/health/live`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`health check answered HTTP ${response.status}`);
  await minioClient(endpoint).listBuckets();
}

export interface MinioStart extends EmbeddedStart {
  binary: string | null;
  /** Where it answers, with the daemon's own user (created here). */
  endpoint: MinioEndpoint;
  /** The root user: runs the server and creates the daemon's user, nothing else. */
  root: MinioRoot;
  consolePort: number;
}

/**
 * `minio server` on loopback; root credentials go through the environment, never argv. Once it answers,
 * the daemon's own user and policy are (re)created with the root user, and the daemon's user is tried.
 */
export async function startEmbeddedMinio(options: MinioStart): Promise<ManagedChild> {
  const { endpoint, log } = options;
  const rootEndpoint = { ...endpoint, accessKey: options.root.user, secretKey: options.root.password };
  await assertPortFree('minio', endpoint.port);
  await assertPortFree('minio', options.consolePort, 'console port');
  const binary = findMinioBinary(options.binary);
  const dir = join(options.dataDir, 'minio');
  ensurePrivateDir(dir);

  // Drop inherited MINIO_* settings (an operator's shell might carry another server's keys).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MINIO_')));
  Object.assign(env, {
    MINIO_ROOT_USER: rootEndpoint.accessKey,
    MINIO_ROOT_PASSWORD: rootEndpoint.secretKey,
    MINIO_SITE_REGION: endpoint.region,
    MINIO_UPDATE: 'off',
  });
  const child = spawnChild({
    service: 'minio',
    command: binary,
    args: ['server', dir, '--address', `127.0.0.1:${endpoint.port}`, '--console-address', `127.0.0.1:${options.consolePort}`],
    cwd: dir,
    env,
    log,
    onUnexpectedExit: options.onUnexpectedExit,
  });
  try {
    await waitUntilReady('minio', `127.0.0.1:${endpoint.port}`, () => probeEmbedded(rootEndpoint), options.timeoutMs, child);
    await provisionDaemonUser(rootEndpoint, endpoint);
    await minioClient(endpoint).listBuckets();
  } catch (error) {
    await child.stop(10_000);
    throw error;
  }
  return child;
}

/**
 * A configured S3 store: any S3 server, so no MinIO-only health URL; `bucketExists` is a signed request that
 * needs no ListAllMyBuckets permission and answers whether or not the bucket exists yet.
 */
export async function waitForExternalMinio(url: string, endpoint: MinioEndpoint, timeoutMs: number): Promise<void> {
  await waitUntilReady('minio', url, async () => {
    await minioClient(endpoint).bucketExists(endpoint.bucket);
  }, timeoutMs);
}
