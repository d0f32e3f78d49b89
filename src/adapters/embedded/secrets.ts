import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
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
  minioRootUser: z.string().min(3),
  minioRootPassword: z.string().min(16),
});
export type Secrets = z.infer<typeof secretsSchema>;

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
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

export function readSecrets(dataDir: string): Secrets {
  const path = secretsPath(dataDir);
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); restore it from a backup`);
  }
  const result = secretsSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${path} is damaged: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

/** Reads the secrets, generating them on the very first start. The file is written 0600 and never widened. */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  ensureDataDir(dataDir);
  const path = secretsPath(dataDir);
  if (!existsSync(path)) {
    const secrets: Secrets = {
      redisPassword: token(24),
      postgresPassword: token(24),
      postgresAdminPassword: token(24),
      minioRootUser: `evidock-${token(6)}`,
      minioRootPassword: token(24),
    };
    // 'wx': two processes racing on the first start cannot both write; the loser reads the winner's file.
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(secrets, null, 2)}\n`);
      } finally {
        closeSync(fd);
      }
      return secrets;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return readSecrets(dataDir);
}
