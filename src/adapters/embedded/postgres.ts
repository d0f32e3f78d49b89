import { execFile, execFileSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chownSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../../log.ts';
import { assertPortFree, type EmbeddedStart, findOnPath, isExecutable, type ManagedChild, redactUrl, spawnChild, waitUntilReady } from './child.ts';
import { ensurePrivateDir } from './secrets.ts';

const execFileAsync = promisify(execFile);

export const APP_ROLE = 'evidock';
export const APP_DATABASE = 'evidock';
const ADMIN_ROLE = 'postgres';

export function embeddedPostgresUrl(port: number, password: string, user = APP_ROLE, database = APP_DATABASE): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** `select 1` over a fresh connection. */
export async function queryPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {
    /* reported through the rejected promise */
  });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
  }
}

interface PgBinaries {
  bin: string;
  major: string;
}

/**
 * Debian installs each major under /usr/lib/postgresql/<major>/bin, off PATH. An existing cluster must be
 * run by its own major (PG_VERSION); a new one gets the newest installed.
 */
function findBinaries(pgdata: string): PgBinaries {
  const wanted = existsSync(join(pgdata, 'PG_VERSION')) ? readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim() : null;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && isExecutable(join(root, name, 'bin', 'postgres')) && isExecutable(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates: PgBinaries[] = majors.map((major) => ({ bin: join(root, major, 'bin'), major }));
  const onPath = findOnPath('postgres');
  if (onPath) {
    const version = execFileSync(onPath, ['--version'], { encoding: 'utf8' }).match(/(\d+)(?:\.\d+)?/);
    if (version?.[1]) candidates.push({ bin: dirname(onPath), major: version[1] });
  }
  const found = wanted ? candidates.find((c) => c.major === wanted) : candidates[0];
  if (found) return found;
  if (wanted) {
    throw new Error(
      `cannot start embedded postgres: ${pgdata} was created by PostgreSQL ${wanted}, whose binaries are not installed ` +
        `(found: ${candidates.map((c) => c.major).join(', ') || 'none'}). Install postgresql-${wanted} or configure postgres.url.`,
    );
  }
  throw new Error('cannot start embedded postgres: no PostgreSQL server binaries found (run scripts/provision.sh, or configure postgres.url)');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
function serverUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'cannot start embedded postgres: running as root, PostgreSQL must run as the "postgres" user, which does not exist ' +
        '(run scripts/provision.sh, run evidock as a normal user, or configure postgres.url)',
    );
  }
}

/** Every folder from / down to `dir`, which the server user must be allowed to enter. */
function ancestors(dir: string): string[] {
  const chain: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) return chain;
  }
}

/**
 * A data folder under a 0700 parent (typically /root or a mkdtemp folder) is unreachable for `postgres`
 * even after we chown the folder itself; initdb would then fail with an obscure "permission denied".
 * Checked as that user, so ACLs and group membership count exactly as they will for the server.
 */
function assertReachable(dir: string, user: RunAs): void {
  try {
    execFileSync('sh', ['-c', 'for d do [ -x "$d" ] || { printf %s "$d"; exit 1; }; done', 'sh', ...ancestors(dir)], {
      uid: user.uid,
      gid: user.gid,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const blocked = String((error as { stdout?: string }).stdout ?? '').trim() || dirname(dir);
    throw new Error(
      `cannot start embedded postgres: it runs as the "postgres" user, which cannot reach ${dir} because it may not enter ${blocked}. ` +
        `Either let it through with "chmod o+x ${blocked}" (or a less restrictive mode), or use a dataDir outside that folder ` +
        '(e.g. EVIDOCK_DATA_DIR=/var/lib/evidock).',
    );
  }
}

/** A SCRAM-SHA-256 verifier, so CREATE ROLE carries no plaintext password that a statement log could keep. */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

async function initdb(bin: string, pgDir: string, pgdata: string, adminPassword: string, user: RunAs | null, env: NodeJS.ProcessEnv, log: Logger) {
  // initdb reads the superuser password from a file: never from argv. The file lives in our private folder
  // (so the server user can read it) and is removed whatever happens.
  const pwfile = join(pgDir, '.initdb-password');
  writeFileSync(pwfile, `${adminPassword}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    log.info({ service: 'postgres', pgdata }, 'creating the PostgreSQL cluster (first start)');
    const { stdout, stderr } = await execFileAsync(
      join(bin, 'initdb'),
      [
        '-D', pgdata,
        '-U', ADMIN_ROLE,
        `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { uid: user?.uid, gid: user?.gid, env, cwd: pgDir, maxBuffer: 4 * 1024 * 1024 },
    ).catch((error: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(`cannot start embedded postgres: initdb failed: ${error.stderr?.trim() || error.message}`);
    });
    for (const line of `${stdout}\n${stderr}`.split('\n')) if (line.trim()) log.debug({ service: 'postgres', stream: 'initdb' }, line);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Creates the application role and database when missing: run at every start, so it is also "once". */
async function ensureAppRoleAndDatabase(adminUrl: string, appPassword: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const role = await client.query<{ rolcreatedb: boolean }>('select rolcreatedb from pg_roles where rolname = $1', [APP_ROLE]);
    if (role.rowCount === 0) {
      await client.query(`create role ${APP_ROLE} login createdb password '${scramVerifier(appPassword)}'`);
    } else if (!role.rows[0]!.rolcreatedb) {
      // CREATEDB lets tests make throwaway databases without the superuser.
      await client.query(`alter role ${APP_ROLE} createdb`);
    }
    const db = await client.query('select 1 from pg_database where datname = $1', [APP_DATABASE]);
    if (db.rowCount === 0) await client.query(`create database ${APP_DATABASE} owner ${APP_ROLE}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface PostgresStart extends EmbeddedStart {
  port: number;
  password: string;
  adminPassword: string;
}

/**
 * Runs `postgres` directly (not pg_ctl) so it is our child: its output reaches our log and stop() can
 * SIGINT it (fast shutdown). Listens on 127.0.0.1 only; the unix socket sits in our private folder.
 * Layout: <dataDir>/postgres (0700, owned by the server user) holding `data/` (PGDATA) and the socket.
 */
export async function startEmbeddedPostgres(options: PostgresStart): Promise<ManagedChild> {
  const { port, log } = options;
  await assertPortFree('postgres', port);
  const user = serverUser();
  const pgDir = join(options.dataDir, 'postgres');
  const pgdata = join(pgDir, 'data');
  ensurePrivateDir(pgDir);
  if (user) {
    if (statSync(pgDir).uid !== user.uid) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, pgDir]);
    assertReachable(pgDir, user);
  }
  const { bin } = findBinaries(pgdata);

  // Keep the server's environment free of client settings (PGHOST, PGPASSWORD...) that mean nothing to it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
  env.LC_ALL = 'C';

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
      throw new Error(`cannot start embedded postgres: ${pgdata} is not empty but holds no cluster (PG_VERSION missing); move it away`);
    }
    await initdb(bin, pgDir, pgdata, options.adminPassword, user, env, log);
  }
  chmodSync(pgdata, 0o700);

  // A unix socket path is limited to 107 bytes; with a deep dataDir we go without one (TCP only).
  // The setting is a list: quote the folder so spaces or commas in the path stay part of it.
  const socketDir = join(pgDir, `.s.PGSQL.${port}`).length < 100 && !pgDir.includes('"') ? `"${pgDir}"` : '';
  const child = spawnChild({
    service: 'postgres',
    command: join(bin, 'postgres'),
    args: ['-D', pgdata, '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${socketDir}`],
    cwd: pgDir,
    env,
    uid: user?.uid,
    gid: user?.gid,
    log,
    stopSignal: 'SIGINT',
    onUnexpectedExit: options.onUnexpectedExit,
  });
  const address = `127.0.0.1:${port}`;
  try {
    const adminUrl = embeddedPostgresUrl(port, options.adminPassword, ADMIN_ROLE, 'postgres');
    await waitUntilReady('postgres', address, () => queryPostgres(adminUrl), options.timeoutMs, child);
    await ensureAppRoleAndDatabase(adminUrl, options.password);
    await waitUntilReady('postgres', address, () => queryPostgres(embeddedPostgresUrl(port, options.password)), 10_000, child);
  } catch (error) {
    await child.stop(15_000);
    throw error;
  }
  return child;
}

/** A configured PostgreSQL: only wait for it to answer. */
export async function waitForExternalPostgres(url: string, timeoutMs: number): Promise<void> {
  await waitUntilReady('postgres', redactUrl(url), () => queryPostgres(url), timeoutMs);
}
