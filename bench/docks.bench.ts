/**
 * Docking benchmark: one device docked alone against four docked at once, on the same machine, services
 * and data sizes.
 *
 *   npm run bench                                        # runs this with the other benchmarks
 *   npx tsx bench/docks.bench.ts [--bytes 200MB] [--folders] [--keep]
 *
 * 1. builds five devices of `--bytes` each (videos of ~30 MB, photos of ~2 MB, random bytes): exFAT images
 *    on loop devices mounted with exfat-fuse, as a dock PC mounts a recorder (needs root, as the dock
 *    daemon does), or with `--folders` (or when not root) folders moved into a dock path;
 * 2. starts Redis, PostgreSQL and MinIO (embedded, free ports) and evidock's dock role in this process;
 * 3. run A docks one device and waits until it is safe to undock; run B docks four at once and waits for all;
 * 4. prints, per run, the aggregate secure throughput (bytes secured / first dock → last safe to undock)
 *    and each device's time from dock to safe to undock, then run B against run A as ratios.
 * Everything started here is stopped, every mount undone and every temp dir removed, also on failure.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type RunningServices, startServices } from '../src/adapters/embedded/services.ts';
import { startDaemon } from '../src/main/daemon.ts';
import { compose } from '../src/main/compose.ts';
import { loadConfig } from '../src/config/load.ts';
import { createLogger } from '../src/log.ts';
import { systemClock } from '../src/ports/clock.ts';
import type { SessionProgress } from '../src/ports/catalog.ts';
import { makeDevice } from '../test/support/harness.ts';
import { LoopRig } from '../test/support/loop-devices.ts';
import { embeddedTestConfig, tempDataDir } from '../test/support/services.ts';

const MB = 1e6;
const note = (message: string) => process.stderr.write(`[docks-bench] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options() {
  const args = process.argv.slice(2);
  const parse = (raw: string) => {
    const m = /^(\d+(?:\.\d+)?)\s*(MB|GB)?$/i.exec(raw.trim());
    if (!m) throw new Error(`--bytes: "${raw}" is not a size like 200MB or 1GB`);
    return Math.round(Number(m[1]) * (m[2]?.toUpperCase() === 'GB' ? 1e9 : m[2] ? 1e6 : 1));
  };
  let bytes = process.env.BENCH_DOCK_BYTES ? parse(process.env.BENCH_DOCK_BYTES) : 200 * MB;
  let folders = process.getuid?.() !== 0;
  let keep = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bytes') bytes = parse(args[++i] ?? '');
    else if (args[i] === '--folders') folders = true;
    else if (args[i] === '--keep') keep = true;
    else throw new Error(`unknown argument ${args[i]}; usage: docks.bench.ts [--bytes 200MB] [--folders] [--keep]`);
  }
  if (bytes < 20 * MB) throw new Error('--bytes: at least 20MB per device please');
  return { bytes, folders, keep };
}

/** A recorder's card: three quarters in ~30 MB videos, the rest in ~2 MB photos; sizes add up to `bytes`. */
function deviceFiles(serial: string, bytes: number): Record<string, string | number> {
  const files: Record<string, string | number> = { 'DEVICE_ID.txt': `${serial}\n` };
  const videos = Math.max(1, Math.round((bytes * 0.75) / (30 * MB)));
  const photos = Math.max(1, Math.round((bytes * 0.25) / (2 * MB)));
  for (let i = 0; i < videos; i++) files[`DCIM/100MEDIA/FILE${String(i + 1).padStart(4, '0')}.MP4`] = Math.floor((bytes * 0.75) / videos);
  for (let i = 0; i < photos; i++) files[`DCIM/101PHOTO/IMG_${String(i + 1).padStart(4, '0')}.JPG`] = Math.floor((bytes * 0.25) / photos);
  return files;
}

interface RunFigures {
  devices: number;
  bytes: number;
  seconds: number;
  mbPerSec: number;
  safeToUndockSec: number[];
}

async function main() {
  const o = options();
  const root = await tempDataDir('evidock-docks-bench-');
  const rig = new LoopRig();
  const cleanups: Array<() => Promise<void>> = [
    async () => {
      if (o.keep) note(`kept ${root}`);
      else await rm(root, { recursive: true, force: true });
    },
    () => rig.cleanup(),
  ];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((e: Error) => note(`cleanup: ${e.message}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const mediaRoot = join(root, 'media');
    const dockDir = join(root, 'dock');
    const staging = join(root, 'staging');
    for (const dir of [mediaRoot, dockDir, staging, join(root, 'evidock')]) mkdirSync(dir, { recursive: true });

    // 1. Devices: one for run A, four for run B.
    const serials = Array.from({ length: 5 }, (_, i) => `DOCK${i}-${randomBytes(2).toString('hex').toUpperCase()}`);
    note(`building ${serials.length} devices of ${(o.bytes / MB).toFixed(0)} MB as ${o.folders ? 'folders' : 'exFAT images on loop devices'}…`);
    const images = new Map<string, string>();
    for (const serial of serials) {
      if (o.folders) makeDevice(join(staging, serial), deviceFiles(serial, o.bytes));
      else images.set(serial, await rig.image('exfat', serial.slice(0, 5), deviceFiles(serial, o.bytes), { sizeMb: Math.ceil((o.bytes * 1.1) / MB) + 32 }));
    }

    // 2. Services and the dock role.
    const servicesDir = join(root, 'services');
    mkdirSync(servicesDir, { mode: 0o755 });
    const services: RunningServices = await startServices(await embeddedTestConfig(servicesDir), createLogger('warn', process.stderr));
    cleanups.push(() => services.stop());
    const { redisUrl, postgresUrl, minio } = services.endpoints;
    const passThrough = Object.fromEntries(['EVIDOCK_SECURE_CONCURRENCY', 'EVIDOCK_DEVICES_MAX_CONCURRENT'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
    const config = loadConfig({
      env: passThrough,
      cwd: root,
      overrides: {
        dataDir: join(root, 'evidock'), roles: ['dock'], dockHost: 'docks-bench', 'log.level': 'warn',
        'dock.paths': [dockDir], 'dock.settleMs': 200, 'devices.mountRoots': [mediaRoot], 'devices.usb': false,
        'devices.models': [{ name: 'Bench recorder', type: 'body-camera', labelPattern: '^DOCK' }],
        'redis.url': redisUrl, 'postgres.url': postgresUrl, 'minio.url': `http://${minio.endPoint}:${minio.port}`,
        'minio.accessKey': minio.accessKey, 'minio.secretKey': minio.secretKey,
      },
    });
    const daemon = await startDaemon(config, createLogger('warn', process.stderr), (reason) => note(`daemon fatal: ${reason}`));
    cleanups.push(() => daemon.stop());
    const core = await compose(config, services.endpoints, { log: createLogger('warn', process.stderr), clock: systemClock });
    cleanups.push(() => core.close());

    const dock = async (serial: string) => {
      if (o.folders) renameSync(join(staging, serial), join(dockDir, serial));
      else await rig.mount(images.get(serial)!, 'exfat', join(mediaRoot, serial));
    };
    const run = async (batch: string[]): Promise<RunFigures> => {
      const dockedAt = new Map<string, number>();
      for (const serial of batch) {
        await dock(serial);
        dockedAt.set(serial, Date.now());
      }
      const deadline = Date.now() + Math.max(600_000, (batch.length * o.bytes) / MB * 2000);
      let done: SessionProgress[] = [];
      for (let last = 0; done.length < batch.length; await sleep(200)) {
        const sessions = (await core.catalog.recentSessions(3600_000, new Date())).filter((s) => batch.includes(s.deviceSerial));
        const failed = sessions.find((s) => s.endedAt && s.state !== 'secured');
        if (failed) throw new Error(`${failed.deviceSerial} ended ${failed.state}: ${failed.reason}`);
        done = sessions.filter((s) => s.state === 'secured');
        if (Date.now() > deadline) throw new Error(`only ${done.length} of ${batch.length} devices secured in time: ${JSON.stringify(sessions)}`);
        if (Date.now() - last > 10_000) {
          last = Date.now();
          note(sessions.map((s) => `${s.deviceSerial} ${s.state} ${(s.bytesSecured / MB).toFixed(0)}/${(s.bytesTotal / MB).toFixed(0)} MB`).join(', ') || 'waiting for the devices to be noticed');
        }
      }
      const first = Math.min(...dockedAt.values());
      const lastEnd = Math.max(...done.map((s) => s.endedAt!.getTime()));
      const bytes = done.reduce((sum, s) => sum + s.bytesSecured, 0);
      return {
        devices: batch.length,
        bytes,
        seconds: (lastEnd - first) / 1000,
        mbPerSec: bytes / MB / ((lastEnd - first) / 1000),
        safeToUndockSec: done.map((s) => (s.endedAt!.getTime() - dockedAt.get(s.deviceSerial)!) / 1000).sort((a, b) => a - b),
      };
    };

    note('run A: one device…');
    const single = await run(serials.slice(0, 1));
    note('run B: four devices at once…');
    const four = await run(serials.slice(1));

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const r2 = (v: number) => Math.round(v * 100) / 100;
    const figures = {
      source: o.folders ? 'dock folders' : 'exFAT over FUSE on loop devices',
      bytesPerDevice: o.bytes,
      secureConcurrency: config.secure.concurrency,
      maxConcurrentDevices: config.devices.maxConcurrent,
      loadAverage: r2(loadavg()[0] ?? 0),
      single: { ...single, seconds: r2(single.seconds), mbPerSec: r2(single.mbPerSec), safeToUndockSec: single.safeToUndockSec.map(r2) },
      four: { ...four, seconds: r2(four.seconds), mbPerSec: r2(four.mbPerSec), safeToUndockSec: four.safeToUndockSec.map(r2) },
      throughputRatio: r2(four.mbPerSec / single.mbPerSec),
      safeToUndockMeanRatio: r2(mean(four.safeToUndockSec) / single.safeToUndockSec[0]!),
      safeToUndockLastRatio: r2(Math.max(...four.safeToUndockSec) / single.safeToUndockSec[0]!),
    };
    process.stdout.write([
      '',
      `evidock docking benchmark: ${(o.bytes / MB).toFixed(0)} MB per device, ${figures.source}, secure.concurrency ${figures.secureConcurrency}, devices.maxConcurrent ${figures.maxConcurrentDevices}`,
      `1 device : ${single.mbPerSec.toFixed(1)} MB/s, safe to undock after ${single.safeToUndockSec[0]!.toFixed(1)} s`,
      `4 devices: ${four.mbPerSec.toFixed(1)} MB/s aggregate, safe to undock after ${four.safeToUndockSec.map((s) => s.toFixed(1)).join(' / ')} s`,
      `ratios (4 / 1): throughput ${figures.throughputRatio}×, time to safe to undock ${figures.safeToUndockMeanRatio}× on average, ${figures.safeToUndockLastRatio}× for the last`,
      '',
      JSON.stringify(figures),
      '',
    ].join('\n'));
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    note(`FAILED: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
