import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Credentials of the embedded services. Generated once, on the first start, and kept next to the data
 * they protect: a data folder and its secrets belong together (PostgreSQL's role password is fixed at
 * initdb time, Redis's and MinIO's at each start, so regenerating would lock us out of our own data).
 */
const secretsSchema = z.strictObject({
  redisPassword: z.string().min(16),
  /** Password of the `evidock` role the application uses. */
  postgresPassword: z.string().min(16),
  /** Password of the `postgres` superuser, used only to create the role and database. */
  postgresAdminPassword: z.string().min(16),
  /** The daemon's own MinIO user: no delete of any version, no governance bypass (see minio-admin.ts). */
  minioUser: z.string().min(3),
  minioPassword: z.string().min(16),
});
export type Secrets = z.infer<typeof secretsSchema>;

/**
 * MinIO's root user: only the daemon's start reads it, to run the server and to create the daemon's user.
 * A file of its own so that nothing that only needs to talk to the services (CLI commands, the core) holds it.
 */
const minioRootSchema = z.strictObject({ user: z.string().min(3), password: z.string().min(16) });
export type MinioRoot = z.infer<typeof minioRootSchema>;

/** Secrets files written before the daemon had a MinIO user of its own held the root user in secrets.json. */
const legacySecretsSchema = secretsSchema.omit({ minioUser: true, minioPassword: true }).extend({ minioRootUser: z.string().min(3), minioRootPassword: z.string().min(16) });

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

export function minioRootPath(dataDir: string): string {
  return join(dataDir, 'minio-root.json');
}

/** Hex only: safe in URLs, config files and SQL literals without any escaping. */
const token = (bytes: number) => randomBytes(bytes).toString('hex');

/** Creates the data folder if needed. Root keeps it traversable (0711) because PostgreSQL runs as `postgres`. */
export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: process.getuid?.() === 0 ? 0o711 : 0o700 });
}

/** Creates a service's folder owner-only, tightening an existing one where we are allowed to. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  try {
    chmodSync(path, 0o700);
  } catch {
    /* not ours to change (e.g. an operator-managed mount): keep its mode */
  }
}

function readJsonFile(path: string, dataDir: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `evidock has not been started with data dir ${dataDir} (no ${path}). ` +
          'Start it with "evidock start" using the same config, or configure redis.url, postgres.url and minio.url.',
      );
    }
    if (code === 'EACCES') throw new Error(`cannot read ${path}: permission denied (run as the user that runs the evidock daemon)`);
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); restore it from a backup`);
  }
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`${path} is damaged: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export function readSecrets(dataDir: string): Secrets {
  const path = secretsPath(dataDir);
  const value = readJsonFile(path, dataDir);
  if (legacySecretsSchema.safeParse(value).success) {
    throw new Error(`${path} still holds MinIO's root user: start the daemon once ("evidock start") to move it out and create the daemon's own MinIO user`);
  }
  return parsed(secretsSchema, value, path);
}

/** Writes a new owner-only file; false when it exists already ('wx': of two racing first starts, one writes). */
function writeNewPrivateFile(path: string, value: unknown): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/**
 * A secrets file from before the daemon's own MinIO user: the root user moves to minio-root.json (written
 * first, so a crash in between loses nothing), then secrets.json is replaced whole with a new daemon user.
 */
function migrateLegacySecrets(dataDir: string): void {
  const path = secretsPath(dataDir);
  const legacy = legacySecretsSchema.safeParse(readJsonFile(path, dataDir));
  if (!legacy.success) return;
  const { minioRootUser, minioRootPassword, ...rest } = legacy.data;
  writeNewPrivateFile(minioRootPath(dataDir), { user: minioRootUser, password: minioRootPassword });
  const temp = `${path}.new`;
  writeNewPrivateFile(temp, { ...rest, minioUser: `evidock-daemon-${token(6)}`, minioPassword: token(24) });
  renameSync(temp, path);
}

/** MinIO's root user, generated on the first start of the embedded MinIO. Only the daemon's start reads it. */
export function loadOrCreateMinioRoot(dataDir: string): MinioRoot {
  ensureDataDir(dataDir);
  const path = minioRootPath(dataDir);
  if (!existsSync(path)) writeNewPrivateFile(path, { user: `evidock-root-${token(6)}`, password: token(24) });
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return parsed(minioRootSchema, readJsonFile(path, dataDir), path);
}

/** Reads the secrets, generating them on the very first start. The file is written 0600 and never widened. */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  ensureDataDir(dataDir);
  const path = secretsPath(dataDir);
  if (!existsSync(path)) {
    writeNewPrivateFile(path, {
      redisPassword: token(24),
      postgresPassword: token(24),
      postgresAdminPassword: token(24),
      minioUser: `evidock-daemon-${token(6)}`,
      minioPassword: token(24),
    } satisfies Secrets);
  }
  migrateLegacySecrets(dataDir);
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return readSecrets(dataDir);
}
