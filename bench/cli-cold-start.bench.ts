/**
 * CLI cold start: `evidock status --json` against a running daemon, run the way a checkout runs it today
 * (`node --import tsx src/cli/main.ts`, compiling TypeScript on every call) and the way an installed
 * package runs it (`node dist/cli/main.js`, compiled by `npm run build`). Target: ≤ 0.6 s compiled.
 *
 *   npm run build && npm run bench:cli          # BENCH_RUNS=7 by default
 *
 * Needs GNU time (/usr/bin/time) for CPU time and peak RSS.
 * The daemon runs from dist/ with its embedded Redis, PostgreSQL and MinIO in a temp data dir (no
 * configured URLs), so the calls measure the CLI, not a remote network. Each variant runs BENCH_RUNS times,
 * alternating, after one unmeasured warm-up each (page cache); the medians and their ratio are
 * printed. Everything started here is stopped and the temp dir removed, also on failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Timed { ms: number; cpuMs: number; maxRssKb: number }

/**
 * Runs one command to its end (it must succeed) under GNU time: wall time, plus the CPU time and peak RSS
 * of the node process. CPU time is the figure to compare on a shared machine, where the wall time mostly
 * measures the other processes' load.
 */
function timed(args: string[], env: NodeJS.ProcessEnv, work: string): Promise<Timed> {
  const report = join(work, 'time.txt');
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-o', report, '-f', '%U %S %M', process.execPath, ...args], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return fail(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      const [user, system, rss] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
      done({ ms, cpuMs: (user! + system!) * 1000, maxRssKb: rss! });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function waitForStart(daemon: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`daemon did not start in 180 s:\n${out}`)), 180_000);
    daemon.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('"msg":"evidock started"')) {
        clearTimeout(timer);
        done();
      }
    });
    daemon.stderr!.on('data', (d) => (out += d));
    daemon.once('exit', (code) => fail(new Error(`daemon exited ${code}:\n${out}`)));
  });
}

async function main(): Promise<void> {
  if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const work = await mkdtemp(join(tmpdir(), 'evidock-cli-bench-'));
  // The embedded PostgreSQL runs as its own user, which must be able to enter the data dir.
  chmodSync(work, 0o755);
  const emptyConfig = join(work, 'evidock.json');
  writeFileSync(emptyConfig, '{}\n');
  mkdirSync(join(work, 'dock'));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVIDOCK_'))),
    EVIDOCK_CONFIG: emptyConfig,
    EVIDOCK_DATA_DIR: join(work, 'data'),
    EVIDOCK_DOCK_PATHS: join(work, 'dock'),
    EVIDOCK_DOCK_HOST: 'bench-cli',
    EVIDOCK_API_PORT: '0',
    EVIDOCK_LOG_LEVEL: 'info',
  };
  const daemon = spawn(process.execPath, ['dist/cli/main.js', 'start'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stopDaemon = () => new Promise<void>((done) => {
    if (daemon.exitCode !== null) return done();
    daemon.once('exit', () => done());
    daemon.kill('SIGINT');
  });
  process.once('SIGINT', () => void stopDaemon().then(() => rm(work, { recursive: true, force: true })).then(() => process.exit(130)));
  try {
    await waitForStart(daemon);
    const variants = {
      tsx: ['--import', 'tsx', 'src/cli/main.ts', 'status', '--json'],
      dist: ['dist/cli/main.js', 'status', '--json'],
    };
    const results: Record<keyof typeof variants, Timed[]> = { tsx: [], dist: [] };
    for (const args of Object.values(variants)) await timed(args, env, work);
    for (let run = 0; run < RUNS; run++) {
      for (const [name, args] of Object.entries(variants) as Array<[keyof typeof variants, string[]]>) results[name].push(await timed(args, env, work));
    }
    const summary = Object.fromEntries(Object.entries(results).map(([name, runs]) => [name, {
      medianS: +(median(runs.map((r) => r.ms)) / 1000).toFixed(3),
      minS: +(Math.min(...runs.map((r) => r.ms)) / 1000).toFixed(3),
      maxS: +(Math.max(...runs.map((r) => r.ms)) / 1000).toFixed(3),
      medianCpuS: +(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(3),
      peakRssMb: Math.round(Math.max(...runs.map((r) => r.maxRssKb)) / 1024),
    }])) as unknown as Record<keyof typeof variants, { medianS: number; medianCpuS: number }>;
    const ratio = summary.dist.medianS / summary.tsx.medianS;
    const cpuRatio = summary.dist.medianCpuS / summary.tsx.medianCpuS;
    process.stdout.write(`evidock status --json, ${RUNS} runs each against a running daemon:\n`);
    for (const [name, s] of Object.entries(summary)) process.stdout.write(`  ${name.padEnd(5)} ${JSON.stringify(s)}\n`);
    process.stdout.write(`  dist/tsx median ratio: wall ${ratio.toFixed(2)}, CPU ${cpuRatio.toFixed(2)}; target dist ≤ 0.6 s wall: ${summary.dist.medianS <= 0.6 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`);
  } finally {
    await stopDaemon();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
