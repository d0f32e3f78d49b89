/**
 * Secure-path benchmark: how long an officer waits from docking a device until it is safe to undock,
 * compared with the floor set by standard tools on the same data, the same machine and the same MinIO.
 *
 *   npm run bench                       # 2 GB synthetic device
 *   BENCH_BYTES=300000000 npm run bench # or: npm run bench -- --bytes 300000000
 *
 * Steps (one run, one data set):
 *   1. build a synthetic device folder (a few large videos, many medium ones, many photos and audio
 *      files; random content so nothing dedupes) in a temp dir on the same filesystem as the dock;
 *   2. start Redis, PostgreSQL and MinIO once with `startServices` (embedded, free ports, temp data dir);
 *   3. time `openssl dgst -sha256` over every file (the hashing floor);
 *   4. time `rclone copy --checksum` into a separate bucket of the same MinIO (the upload floor);
 *   5. spawn the daemon (`node --import tsx src/cli/main.ts start`) against those services, wait for
 *      "evidock started", rename the device folder into its dock path and time until the session is
 *      `secured`, sampling the daemon's peak RSS (VmHWM) and CPU time.
 * Everything started here is stopped and every temp dir removed, also on failure or Ctrl-C.
 * The device also carries a DEVICE_ID.txt (a non-media file, as on real recorders; the session must
 * still end `secured`); `--no-id-file` (BENCH_ID_FILE=0) leaves it out and the serial then comes from
 * the folder name. `--keep` (BENCH_KEEP=1) leaves the temp dir (data, daemon.log) for inspection.
 * The page cache is warm for all three tools (the data was just written; RAM permitting).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServices, startServices } from '../src/adapters/embedded/services.ts';
import { PgCatalog } from '../src/adapters/postgres/pg-catalog.ts';
import { type DockJson, dockJson } from '../src/app/contracts.ts';
import { loadConfig } from '../src/config/load.ts';
import { createLogger } from '../src/log.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1e6;
const MiB = 1 << 20;
const DEFAULT_BYTES = 2_000_000_000;

// ---------------------------------------------------------------------------------------------- options

function parseBytes(raw: string, source: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(raw.replace(/_/g, ''));
  if (!m) throw new Error(`${source}: "${raw}" is not a byte count (e.g. 300000000, 300MB, 2GB, 1GiB)`);
  const unit = (m[2] ?? '').toLowerCase().replace(/b$/, '');
  const factor: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };
  const f = factor[unit];
  if (f === undefined) throw new Error(`${source}: unknown unit in "${raw}"`);
  const bytes = Math.round(Number(m[1]) * f);
  if (bytes < 10 * MB) throw new Error(`${source}: at least 10 MB please (got ${bytes} bytes)`);
  return bytes;
}

function options() {
  const args = process.argv.slice(2);
  let bytes = process.env.BENCH_BYTES ? parseBytes(process.env.BENCH_BYTES, 'BENCH_BYTES') : DEFAULT_BYTES;
  let keep = process.env.BENCH_KEEP === '1';
  let idFile = process.env.BENCH_ID_FILE !== '0';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--bytes') bytes = parseBytes(args[++i] ?? '', '--bytes');
    else if (arg.startsWith('--bytes=')) bytes = parseBytes(arg.slice('--bytes='.length), '--bytes');
    else if (arg === '--keep') keep = true;
    else if (arg === '--id-file') idFile = true;
    else if (arg === '--no-id-file') idFile = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench [-- --bytes N] [--keep] [--no-id-file]   (env: BENCH_BYTES, BENCH_KEEP=1, BENCH_ID_FILE=0, EVIDOCK_SECURE_CONCURRENCY)\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}; try --help`);
  }
  return { bytes, keep, idFile };
}

// ---------------------------------------------------------------------------------------------- helpers

const note = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ns: bigint) => Number(ns) / 1e9;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Runs a command to completion; rejects with its exit code and the tail of its output. */
function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { if (stdout.length < 4 * MiB) stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4 * MiB) stderr += d.toString(); });
    child.once('error', fail);
    child.once('close', (code, signal) => {
      if (code === 0) ok({ stdout, stderr });
      else fail(new Error(`${command} ${args.slice(0, 4).join(' ')}… exited with ${code ?? signal}\n${(stderr || stdout).split('\n').slice(-20).join('\n')}`));
    });
  });
}

/** Small seeded PRNG (mulberry32) so a size always gives the same file plan. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------- data set

interface PlannedFile {
  relPath: string;
  size: number;
}

/**
 * A body-camera-like card: ~45 % in a few large videos (~300 MB), ~35 % in medium clips (~30 MB),
 * ~12 % photos (~3 MB) and ~8 % audio (~6 MB), each size jittered ±35 %; sizes add up exactly to `total`.
 */
function planDevice(total: number): PlannedFile[] {
  const rand = prng(0xe51d0c);
  const groups = [
    { share: 0.45, target: 300 * MB, name: (i: number) => `DCIM/100MEDIA/FILE${String(i).padStart(4, '0')}.MP4` },
    { share: 0.35, target: 30 * MB, name: (i: number) => `DCIM/100MEDIA/FILE${String(i).padStart(4, '0')}.MP4` },
    { share: 0.12, target: 3 * MB, name: (i: number) => `PHOTO/IMG_${String(i).padStart(4, '0')}.JPG` },
    { share: 0.08, target: 6 * MB, name: (i: number) => `AUDIO/REC${String(i).padStart(4, '0')}.WAV` },
  ];
  const counters = new Map<string, number>();
  const files: PlannedFile[] = [];
  for (const group of groups) {
    const groupBytes = total * group.share;
    const count = Math.max(1, Math.round(groupBytes / group.target));
    const weights = Array.from({ length: count }, () => 0.65 + 0.7 * rand());
    const sum = weights.reduce((a, b) => a + b, 0);
    for (const w of weights) {
      const key = group.name(0).split('/')[0]!;
      const index = (counters.get(key) ?? 0) + 1;
      counters.set(key, index);
      files.push({ relPath: group.name(index), size: Math.max(1024, Math.floor((groupBytes * w) / sum)) });
    }
  }
  const planned = files.reduce((a, f) => a + f.size, 0);
  files[0]!.size += total - planned; // the first large video absorbs rounding
  return files;
}

/**
 * Writes the planned files with fresh random bytes (a reused 8 MiB buffer, refilled per write).
 * With `idFile` a DEVICE_ID.txt holding the serial is written at the root as well; without it the
 * device holds media only and the daemon takes its serial from the folder name.
 */
async function writeDevice(root: string, files: PlannedFile[], serial: string, idFile: boolean): Promise<void> {
  const buffer = Buffer.allocUnsafe(8 * MiB);
  let written = 0;
  let lastReport = Date.now();
  const total = files.reduce((a, f) => a + f.size, 0);
  mkdirSync(root, { recursive: true });
  if (idFile) writeFileSync(join(root, 'DEVICE_ID.txt'), `${serial}\n`);
  for (const file of files) {
    const path = join(root, file.relPath);
    mkdirSync(dirname(path), { recursive: true });
    const handle = await open(path, 'w');
    try {
      let left = file.size;
      while (left > 0) {
        const n = Math.min(left, buffer.length);
        randomFillSync(buffer, 0, n);
        await handle.write(buffer, 0, n);
        left -= n;
        written += n;
      }
    } finally {
      await handle.close();
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      note(`writing device: ${(written / MB).toFixed(0)} / ${(total / MB).toFixed(0)} MB`);
    }
  }
}

// ---------------------------------------------------------------------------------------------- daemon

interface ProcSample {
  hwmKiB: number;
  rssKiB: number;
  cpuSec: number;
}

/** VmHWM / VmRSS and user+system CPU seconds of a live process, or null once it is gone. */
function sampleProc(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return { hwmKiB: kib('VmHWM'), rssKiB: kib('VmRSS'), cpuSec: ticks / 100 };
  } catch {
    return null;
  }
}

class Daemon {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly waiters: Array<{ test: (line: Record<string, unknown>) => boolean; ok: () => void }> = [];
  private exitInfo: string | null = null;
  readonly exited: Promise<void>;

  constructor(env: NodeJS.ProcessEnv, logFile: string) {
    const log = createWriteStream(logFile);
    // process.execPath with --import tsx: no npx/tsx wrapper, so child.pid is the daemon itself.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.onLine(line);
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((done) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${code ?? signal}`;
        log.end();
        done();
      });
    });
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 60) this.lines.shift();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      /* not pino */
    }
    if (!parsed) return;
    const level = Number(parsed.level ?? 0);
    if (level >= 40) note(`daemon ${level >= 50 ? 'ERROR' : 'warn'}: ${line.length > 600 ? `${line.slice(0, 600)}…` : line}`);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(parsed)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.ok();
      }
    }
  }

  tail(n = 30): string {
    return this.lines.slice(-n).join('\n');
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** Resolves on the first log line matching `test`; rejects if the daemon exits or the time runs out. */
  waitForLog(test: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`daemon: no "${what}" within ${timeoutMs / 1000} s; last log lines:\n${this.tail()}`)), timeoutMs);
      const waiter = { test, ok: () => { clearTimeout(timer); ok(); } };
      this.waiters.push(waiter);
      void this.exited.then(() => {
        clearTimeout(timer);
        fail(new Error(`daemon ${this.exitInfo} before "${what}"; last log lines:\n${this.tail()}`));
      });
    });
  }

  /** SIGINT (the daemon's own graceful stop), SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGINT');
    const killed = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (killed && this.alive) {
      note(`daemon did not stop within ${graceMs / 1000} s of SIGINT; killing pid ${this.child.pid}`);
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

// ---------------------------------------------------------------------------------------------- main

interface Figures {
  bytes: number;
  files: number;
  opensslSec: number;
  rcloneSec: number;
  evidockSec: number;
  opensslMBps: number;
  rcloneMBps: number;
  evidockMBps: number;
  evidockVsRclone: number;
  evidockVsOpenssl: number;
  evidockPeakRssMiB: number;
  evidockIdleRssMiB: number;
  evidockCpuSec: number;
  minioCpuSec: number | null;
  secureConcurrency: number;
  sessionState: string;
  filesSecured: number;
  filesTotal: number;
}

const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      await step.run().catch((error: Error) => note(`cleanup "${step.name}" failed: ${error.message}`));
    }
  })();
  return cleaning;
}

async function main(): Promise<Figures> {
  const { bytes, keep, idFile } = options();
  const root = await mkdtemp(join(tmpdir(), 'evidock-bench-'));
  chmodSync(root, 0o755);
  cleanups.push({ name: 'temp dir', run: () => (keep ? (note(`kept ${root}`), Promise.resolve()) : rm(root, { recursive: true, force: true })) });

  // 1. The device: built outside the dock, on the same filesystem, so docking it is one rename.
  const serial = `BENCH-${randomBytes(4).toString('hex').toUpperCase()}`;
  const deviceDir = join(root, 'staging', serial);
  const plan = planDevice(bytes);
  note(`building device ${serial}: ${plan.length} files, ${(bytes / MB).toFixed(0)} MB in ${deviceDir}`);
  const built = process.hrtime.bigint();
  await writeDevice(deviceDir, plan, serial, idFile);
  await run('sync', []);
  note(`device written in ${seconds(process.hrtime.bigint() - built).toFixed(1)} s`);
  const paths = plan.map((f) => join(deviceDir, f.relPath));

  // 2. Services, once, embedded, on free ports.
  const servicesDir = join(root, 'services');
  mkdirSync(servicesDir, { mode: 0o755 });
  chmodSync(servicesDir, 0o755);
  const [redisPort, postgresPort, minioPort, consolePort] = await freePorts(4);
  const serviceConfig = loadConfig({
    env: {},
    cwd: root,
    overrides: {
      dataDir: servicesDir,
      'redis.port': redisPort,
      'postgres.port': postgresPort,
      'minio.port': minioPort,
      'minio.consolePort': consolePort,
      'log.level': 'warn',
    },
  });
  note('starting redis, postgres and minio…');
  const servicesStarted = process.hrtime.bigint();
  const services: RunningServices = await startServices(serviceConfig, createLogger('warn', process.stderr));
  cleanups.push({ name: 'services', run: () => services.stop() });
  note(`services ready in ${seconds(process.hrtime.bigint() - servicesStarted).toFixed(1)} s (pids ${JSON.stringify(services.pids)})`);
  const { redisUrl, postgresUrl, minio } = services.endpoints;
  const minioUrl = `${minio.useSSL ? 'https' : 'http'}://${minio.endPoint}:${minio.port}`;

  // 3. openssl: the hashing floor (one process, every file, in order).
  note('timing openssl dgst -sha256…');
  let t = process.hrtime.bigint();
  const digests = await run('openssl', ['dgst', '-sha256', ...paths]);
  const opensslSec = seconds(process.hrtime.bigint() - t);
  const digestLines = digests.stdout.trim().split('\n').length;
  if (digestLines !== plan.length) throw new Error(`openssl printed ${digestLines} digests for ${plan.length} files`);

  // 4. rclone: the upload floor, into its own bucket on the same MinIO (it creates the bucket).
  note('timing rclone copy --checksum…');
  const rcloneEnv: NodeJS.ProcessEnv = { ...process.env };
  delete rcloneEnv.AWS_CA_BUNDLE; // rclone fails with LoadCustomCABundleError when it is set
  Object.assign(rcloneEnv, {
    RCLONE_CONFIG: join(root, 'rclone.conf'), // no user config file: everything below comes from the env
    RCLONE_CONFIG_M_TYPE: 's3',
    RCLONE_CONFIG_M_PROVIDER: 'Minio',
    RCLONE_CONFIG_M_ACCESS_KEY_ID: minio.accessKey,
    RCLONE_CONFIG_M_SECRET_ACCESS_KEY: minio.secretKey,
    RCLONE_CONFIG_M_ENDPOINT: minioUrl,
    RCLONE_CONFIG_M_REGION: minio.region,
  });
  t = process.hrtime.bigint();
  await run('rclone', ['copy', '--checksum', deviceDir, 'm:bench-rclone/device'], { env: rcloneEnv });
  const rcloneSec = seconds(process.hrtime.bigint() - t);
  const rcloneSize = JSON.parse((await run('rclone', ['size', '--json', 'm:bench-rclone/device'], { env: rcloneEnv })).stdout) as { count: number; bytes: number };
  const idBytes = idFile ? readFileSync(join(deviceDir, 'DEVICE_ID.txt')).length : 0;
  const expectedCount = plan.length + (idFile ? 1 : 0);
  if (rcloneSize.count !== expectedCount || rcloneSize.bytes !== bytes + idBytes) {
    throw new Error(`rclone stored ${rcloneSize.count} objects / ${rcloneSize.bytes} bytes; expected ${expectedCount} / ${bytes + idBytes}`);
  }
  await run('sync', []);

  // 5. evidock: the daemon as a child process, configured only by env, against the same services.
  const dockDir = join(root, 'dock');
  const daemonData = join(root, 'daemon-data');
  mkdirSync(dockDir, { mode: 0o755 });
  mkdirSync(daemonData, { mode: 0o755 });
  const emptyConfig = join(root, 'evidock.json');
  writeFileSync(emptyConfig, '{}\n');
  const daemonEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVIDOCK_')));
  Object.assign(daemonEnv, {
    EVIDOCK_CONFIG: emptyConfig, // never pick up a config/evidock.json from the repo
    EVIDOCK_REDIS_URL: redisUrl,
    EVIDOCK_POSTGRES_URL: postgresUrl,
    EVIDOCK_MINIO_URL: minioUrl,
    EVIDOCK_MINIO_ACCESS_KEY: minio.accessKey,
    EVIDOCK_MINIO_SECRET_KEY: minio.secretKey,
    EVIDOCK_MINIO_BUCKET: 'bench-evidock',
    EVIDOCK_MINIO_REGION: minio.region,
    EVIDOCK_DATA_DIR: daemonData,
    EVIDOCK_DOCK_PATHS: dockDir,
    EVIDOCK_DOCK_SETTLE_MS: '200',
    EVIDOCK_DOCK_HOST: 'bench-dock',
    EVIDOCK_API_PORT: '0',
    EVIDOCK_LOG_LEVEL: 'info',
  });
  // The one knob worth varying from outside: pass it through when given.
  if (process.env.EVIDOCK_SECURE_CONCURRENCY) daemonEnv.EVIDOCK_SECURE_CONCURRENCY = process.env.EVIDOCK_SECURE_CONCURRENCY;
  const daemonConfig = loadConfig({ env: daemonEnv, cwd: REPO });

  note('starting the daemon…');
  const daemon = new Daemon(daemonEnv, join(root, 'daemon.log'));
  cleanups.push({ name: 'daemon', run: () => daemon.stop() });
  await daemon.waitForLog((l) => l.msg === 'evidock started', 120_000, 'evidock started');
  const pid = daemon.child.pid!;
  const idle = sampleProc(pid);
  note(`daemon ready (pid ${pid}, RSS ${((idle?.rssKiB ?? 0) / 1024).toFixed(0)} MiB)`);

  // Progress is read with the code behind `status --json` (catalog + dockJson), in process, so
  // polling costs a query, not a CLI start; the CLI itself is run once at the end as a cross-check.
  const catalog = await PgCatalog.connect(postgresUrl, createLogger('silent'));
  cleanups.push({ name: 'catalog', run: () => catalog.close() });
  const mountPath = join(dockDir, serial);
  const sessionOf = async (): Promise<DockJson | null> =>
    (await catalog.recentSessions(60 * 60_000, new Date())).map(dockJson).find((s) => s.mountPath === mountPath) ?? null;

  const minioPid = services.pids.minio;
  const minioCpuBefore = minioPid ? sampleProc(minioPid)?.cpuSec ?? null : null;
  const cpuBefore = idle?.cpuSec ?? 0;
  let peak = idle;
  const timeoutMs = Math.max(300_000, (bytes / (2 * MB)) * 1000); // fails below 2 MB/s (or 5 min)

  t = process.hrtime.bigint();
  renameSync(deviceDir, mountPath); // docked
  let session: DockJson | null = null;
  let lastReport = Date.now();
  for (;;) {
    const s = sampleProc(pid);
    if (s) peak = s;
    if (!daemon.alive) throw new Error(`daemon died while securing; last log lines:\n${daemon.tail()}`);
    session = await sessionOf();
    if (session && ['secured', 'attention', 'interrupted'].includes(session.state)) break;
    const elapsedMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (elapsedMs > timeoutMs) {
      throw new Error(`not secured after ${(elapsedMs / 1000).toFixed(0)} s: ${JSON.stringify(session)}; last log lines:\n${daemon.tail()}`);
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      note(session
        ? `evidock ${session.state}: ${session.filesSecured}/${session.filesTotal} files, ${(session.bytesSecured / MB).toFixed(0)}/${(session.bytesTotal / MB).toFixed(0)} MB after ${(elapsedMs / 1000).toFixed(0)} s`
        : `evidock: no session yet after ${(elapsedMs / 1000).toFixed(0)} s`);
    }
    await sleep(100);
  }
  const evidockSec = seconds(process.hrtime.bigint() - t);
  const final = sampleProc(pid) ?? peak;
  const minioCpuAfter = minioPid ? sampleProc(minioPid)?.cpuSec ?? null : null;
  if (session.state !== 'secured') {
    throw new Error(`session ended "${session.state}" (${session.reason ?? 'no reason'}), not secured: ${JSON.stringify(session)}; last log lines:\n${daemon.tail()}`);
  }
  if (session.filesTotal !== plan.length || session.bytesTotal !== bytes || session.filesSecured !== plan.length) {
    throw new Error(`session secured but counts are off: ${JSON.stringify(session)}; expected ${plan.length} files / ${bytes} bytes`);
  }

  // Cross-check with the real CLI (same env), as an operator would see it.
  const cli = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'status', '--json'], { env: daemonEnv, cwd: REPO });
  const report = JSON.parse(cli.stdout) as { docks: DockJson[] };
  const shown = report.docks.find((d) => d.sessionId === session.sessionId);
  if (!shown?.safeToUndock) throw new Error(`status --json does not show session ${session.sessionId} safe to undock: ${JSON.stringify(shown)}`);

  const mbps = (sec: number) => bytes / MB / sec;
  return {
    bytes,
    files: plan.length,
    opensslSec,
    rcloneSec,
    evidockSec,
    opensslMBps: mbps(opensslSec),
    rcloneMBps: mbps(rcloneSec),
    evidockMBps: mbps(evidockSec),
    evidockVsRclone: evidockSec / rcloneSec,
    evidockVsOpenssl: evidockSec / opensslSec,
    evidockPeakRssMiB: (final?.hwmKiB ?? NaN) / 1024,
    evidockIdleRssMiB: (idle?.rssKiB ?? NaN) / 1024,
    evidockCpuSec: (final?.cpuSec ?? NaN) - cpuBefore,
    minioCpuSec: minioCpuBefore !== null && minioCpuAfter !== null ? minioCpuAfter - minioCpuBefore : null,
    secureConcurrency: daemonConfig.secure.concurrency,
    sessionState: session.state,
    filesSecured: session.filesSecured,
    filesTotal: session.filesTotal,
  };
}

function printTable(f: Figures): void {
  const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const widths = [30, 10, 10, 12];
  const out = [
    '',
    `evidock secure benchmark: ${f.bytes.toLocaleString('en-US')} bytes (${(f.bytes / MB).toFixed(0)} MB) in ${f.files} files, warm page cache, MB = 10^6 B`,
    row(['tool', 'seconds', 'MB/s', '× openssl'], widths),
    row(['-'.repeat(30), '-'.repeat(10), '-'.repeat(10), '-'.repeat(12)], widths),
    row(['openssl dgst -sha256', f.opensslSec.toFixed(2), f.opensslMBps.toFixed(1), '1.00'], widths),
    row(['rclone copy --checksum', f.rcloneSec.toFixed(2), f.rcloneMBps.toFixed(1), (f.rcloneSec / f.opensslSec).toFixed(2)], widths),
    row([`evidock dock → secured (c=${f.secureConcurrency})`, f.evidockSec.toFixed(2), f.evidockMBps.toFixed(1), f.evidockVsOpenssl.toFixed(2)], widths),
    '',
    `evidock / rclone  : ${f.evidockVsRclone.toFixed(2)}×`,
    `evidock / openssl : ${f.evidockVsOpenssl.toFixed(2)}×`,
    `evidock peak RSS  : ${f.evidockPeakRssMiB.toFixed(0)} MiB (VmHWM; ${f.evidockIdleRssMiB.toFixed(0)} MiB when idle after start)`,
    `evidock CPU       : ${f.evidockCpuSec.toFixed(1)} s user+sys while securing${f.minioCpuSec !== null ? `; MinIO ${f.minioCpuSec.toFixed(1)} s` : ''}`,
    `session           : ${f.sessionState}, ${f.filesSecured}/${f.filesTotal} files`,
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])))}\n`);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    note(`${signal}: cleaning up (again to exit at once)…`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const figures = await main();
  await cleanup();
  printTable(figures);
  process.exit(0);
} catch (error) {
  note(`FAILED: ${(error as Error).stack ?? String(error)}`);
  await cleanup();
  process.exit(1);
}
