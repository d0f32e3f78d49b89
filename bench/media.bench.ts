/**
 * Media benchmark: what evidock adds around ffmpeg and sharp, on the same files, machine and MinIO.
 *
 *   npm run bench                                  # runs this after the secure benchmark
 *   npx tsx bench/media.bench.ts [--seconds 60] [--photos 40] [--rounds 2] [--keep]
 *
 * 1. makes a 1080p30 H.264/AAC clip of `--seconds` (60) and `--photos` (40) 12-megapixel JPEGs;
 * 2. starts Redis, PostgreSQL and MinIO (embedded, free ports) and evidock's dock role in this process,
 *    docks the files and waits until they are secured (the media workers are not started: the stages
 *    are run one by one below, so nothing else competes for the two cores);
 * 3. proxy + poster: the ffmpeg command evidock builds, run alone on the local clip, against evidock's
 *    transcode stage (item lookup, ffmpeg, ffprobe check of the proxy, upload of both, catalog record),
 *    `--rounds` times each, alternating, best of each kept; the original is already local, as the probe
 *    stage fetched it (the fetch is timed on its own);
 * 4. thumbnails: sharp alone making each photo's thumbnail (same box, format and quality) against
 *    evidock's thumbnails stage for each photo (decode, resize, upload, catalog record), both two at a time.
 * Prints the figures and the ratios (aims: proxy ≤ 1.05× ffmpeg alone, thumbnails ≥ 0.9× sharp alone).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { type RunningServices, startServices } from '../src/adapters/embedded/services.ts';
import { startDaemon } from '../src/main/daemon.ts';
import { buildProcessors } from '../src/app/processors.ts';
import { compose } from '../src/main/compose.ts';
import { loadConfig } from '../src/config/load.ts';
import { type FfmpegRun, videoProxyRun } from '../src/domain/ffmpeg-runs.ts';
import type { EvidenceItem } from '../src/domain/evidence.ts';
import { createLogger } from '../src/log.ts';
import { systemClock } from '../src/ports/clock.ts';
import type { JobContext } from '../src/ports/jobs.ts';
import { embeddedTestConfig, tempDataDir } from '../test/support/services.ts';

const note = (message: string): void => void process.stderr.write(`[media bench] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options() {
  const args = process.argv.slice(2);
  const o = { seconds: 60, photos: 40, rounds: 2, keep: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} takes a positive whole number`);
      return n;
    };
    if (arg === '--seconds') o.seconds = value();
    else if (arg === '--photos') o.photos = value();
    else if (arg === '--rounds') o.rounds = value();
    else if (arg === '--keep') o.keep = true;
    else throw new Error(`unknown argument ${arg}; usage: media.bench.ts [--seconds 60] [--photos 40] [--rounds 2] [--keep]`);
  }
  return o;
}

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => (code === 0 ? ok() : fail(new Error(`ffmpeg exited with ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** The command line of an FfmpegRun, as ffmpeg alone would be given it. */
const commandLine = (run: FfmpegRun) => [
  ...run.inputs.flatMap((i) => [...i.options, '-i', i.path]),
  ...run.outputs.flatMap((o) => [...o.options, o.path]),
];

/**
 * CPU seconds of this process and of its children it has waited for (ffmpeg, ffprobe), from /proc:
 * unlike wall time, not inflated by other work on a shared machine.
 */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (f[11]! + f[12]! + f[13]! + f[14]!) / 100; // utime, stime, cutime, cstime
}

async function timed<T>(work: () => Promise<T>): Promise<{ sec: number; cpu: number; value: T }> {
  const start = process.hrtime.bigint();
  const cpu = cpuSeconds();
  const value = await work();
  return { sec: Number(process.hrtime.bigint() - start) / 1e9, cpu: cpuSeconds() - cpu, value };
}

/** Runs `work` over `items`, `parallel` at a time. */
async function pool<T>(items: T[], parallel: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function main() {
  const o = options();
  const root = await tempDataDir('evidock-media-bench-');
  const cleanups: Array<() => Promise<void>> = [async () => {
    if (o.keep) note(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((e: Error) => note(`cleanup: ${e.message}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    // 1. Files, on a staging folder beside the dock.
    const device = join(root, 'staging', 'MEDIA-BENCH');
    mkdirSync(join(device, 'DCIM'), { recursive: true });
    mkdirSync(join(device, 'PHOTO'), { recursive: true });
    note(`making a ${o.seconds} s 1080p clip and ${o.photos} photos…`);
    const clip = join(device, 'DCIM', 'CLIP0001.MP4');
    await ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${o.seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${o.seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
    ]);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=4000x3000:rate=1', '-frames:v', String(o.photos), '-q:v', '3', join(device, 'PHOTO', 'IMG_%04d.JPG')]);
    const photos = readdirSync(join(device, 'PHOTO')).map((f) => join(device, 'PHOTO', f));

    // 2. Services and the dock role; the files secured.
    const servicesConfig = await embeddedTestConfig(join(root, 'services'));
    mkdirSync(join(root, 'services'), { recursive: true, mode: 0o755 });
    note('starting redis, postgres and minio…');
    const services: RunningServices = await startServices(servicesConfig, createLogger('warn', process.stderr));
    cleanups.push(() => services.stop());
    const { redisUrl, postgresUrl, minio } = services.endpoints;
    const dock = join(root, 'dock');
    mkdirSync(dock);
    const config = loadConfig({
      env: {},
      cwd: root,
      overrides: {
        dataDir: join(root, 'evidock'), roles: ['dock'], 'dock.paths': [dock], 'dock.settleMs': 200, 'log.level': 'warn',
        'redis.url': redisUrl, 'postgres.url': postgresUrl, 'minio.url': `http://${minio.endPoint}:${minio.port}`,
        'minio.accessKey': minio.accessKey, 'minio.secretKey': minio.secretKey,
      },
    });
    const log = createLogger('warn', process.stderr);
    const daemon = await startDaemon(config, log, (reason) => note(`daemon fatal: ${reason}`));
    cleanups.push(() => daemon.stop());
    const core = await compose(config, services.endpoints, { log, clock: systemClock });
    cleanups.push(() => core.close());
    renameSync(device, join(dock, 'MEDIA-BENCH'));
    let items: EvidenceItem[] = [];
    for (const deadline = Date.now() + 600_000; items.length < photos.length + 1; await sleep(250)) {
      if (Date.now() > deadline) throw new Error(`only ${items.length} of ${photos.length + 1} files secured in 10 minutes`);
      items = await core.catalog.queryItems({ device: 'MEDIA-BENCH' });
    }
    note(`${items.length} files secured`);

    // The stages, run here one at a time on this process's processors.
    const stages = buildProcessors(core);
    // A context per run, as the worker gives each job its own.
    const ctx = (): JobContext => ({ signal: new AbortController().signal, attempt: 1, progress: async () => undefined });
    const payload = (i: EvidenceItem) => ({ itemId: i.id, sha256: i.sha256 });
    const video = items.find((i) => i.kind === 'video')!;
    const probe = await timed(() => stages['media-probe'](payload(video), ctx()));
    note(`clip fetched from MinIO (verified) and probed in ${probe.sec.toFixed(2)} s`);

    // 3. Proxy + poster.
    const s = config.media;
    const info = (await core.media.catalog.mediaOf([video.id])).get(video.id)!.info!;
    const alone = videoProxyRun(clip.replace(device, join(dock, 'MEDIA-BENCH')), info, s, { proxy: join(root, 'alone-proxy.mp4'), poster: join(root, 'alone-poster.jpg') });
    const ffmpegRuns: Array<{ sec: number; cpu: number }> = [];
    const evidockRuns: Array<{ sec: number; cpu: number }> = [];
    for (let round = 1; round <= o.rounds; round++) {
      ffmpegRuns.push(await timed(() => ffmpeg(commandLine(alone))));
      // The stage skips work already recorded: forget the last round's outcome (the rows only).
      await core.catalog.pool.query(`DELETE FROM media_stage_outcomes WHERE item_id = $1 AND stage = 'transcode'`, [video.id]);
      evidockRuns.push(await timed(() => stages['media-transcode'](payload(video), ctx())));
      const [a, e] = [ffmpegRuns.at(-1)!, evidockRuns.at(-1)!];
      note(`round ${round}: ffmpeg alone ${a.sec.toFixed(2)} s (cpu ${a.cpu.toFixed(2)} s), evidock transcode stage ${e.sec.toFixed(2)} s (cpu ${e.cpu.toFixed(2)} s)`);
    }

    // 4. Thumbnails of photos, two at a time on both sides.
    const photoItems = items.filter((i) => i.kind === 'photo');
    await pool(photoItems, 2, (i) => stages['media-probe'](payload(i), ctx()));
    const thumbs = join(root, 'alone-thumbs');
    mkdirSync(thumbs);
    const box = { width: s.thumbnailWidth, height: s.thumbnailWidth, fit: 'inside' as const, withoutEnlargement: true };
    const localPhotos = readdirSync(join(dock, 'MEDIA-BENCH', 'PHOTO')).map((f) => join(dock, 'MEDIA-BENCH', 'PHOTO', f));
    const sharpAlone = await timed(() => pool(localPhotos, 2, (p) => sharp(p).rotate().resize(box).webp({ quality: 75 }).toFile(join(thumbs, `${p.split('/').pop()}.webp`))));
    const evidockThumbs = await timed(() => pool(photoItems, 2, (i) => stages['media-thumbnails'](payload(i), ctx())));

    const best = (runs: Array<{ sec: number; cpu: number }>, key: 'sec' | 'cpu') => Math.min(...runs.map((r) => r[key]));
    const figures = {
      clipSeconds: o.seconds,
      loadAverage: loadavg()[0] ?? 0,
      fetchAndProbeSec: round2(probe.sec),
      proxyPosterFfmpegAloneSec: round2(best(ffmpegRuns, 'sec')),
      proxyPosterEvidockSec: round2(best(evidockRuns, 'sec')),
      proxyRatio: round3(best(evidockRuns, 'sec') / best(ffmpegRuns, 'sec')),
      proxyRatioWithFetch: round3((best(evidockRuns, 'sec') + probe.sec) / best(ffmpegRuns, 'sec')),
      proxyCpuRatio: round3(best(evidockRuns, 'cpu') / best(ffmpegRuns, 'cpu')),
      photos: photoItems.length,
      thumbnailsPerSecSharpAlone: round2(localPhotos.length / sharpAlone.sec),
      thumbnailsPerSecEvidock: round2(photoItems.length / evidockThumbs.sec),
      thumbnailRatio: round3((photoItems.length / evidockThumbs.sec) / (localPhotos.length / sharpAlone.sec)),
      thumbnailCpuRatio: round3(sharpAlone.cpu / evidockThumbs.cpu),
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    note(`proxy + poster: evidock ${figures.proxyRatio}× ffmpeg alone (aim ≤ 1.05), ${figures.proxyCpuRatio}× its CPU time; with the fetch from MinIO ${figures.proxyRatioWithFetch}×`);
    note(`thumbnails: evidock ${figures.thumbnailRatio}× sharp alone (aim ≥ 0.9), ${figures.thumbnailCpuRatio}× per CPU second`);
    if (figures.loadAverage > 2.5) note(`load average ${figures.loadAverage.toFixed(1)} on this machine: other work shares the cores, wall-time ratios are noisy; the CPU ratios are not`);
  } finally {
    await cleanup();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

main().then(
  () => process.exit(0),
  (error: Error) => {
    note(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
