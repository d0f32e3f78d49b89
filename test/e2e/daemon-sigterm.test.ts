import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { servicesEnv, startDaemonProcess } from '../support/cli.ts';
import { waitFor } from '../support/harness.ts';
import { freshBucketName, freshDatabase } from '../support/isolation.ts';
import { makeClip } from '../support/media-fixtures.ts';

/** Moves a prepared device folder into the dock at once, as a mount appears. */
function dockFolder(dockDir: string, serial: string, fill: (root: string) => void | Promise<void>) {
  const staging = mkdtempSync(join(tmpdir(), 'e2e-sigterm-staging-'));
  return Promise.resolve(fill(join(staging, serial))).then(() => renameSync(join(staging, serial), join(dockDir, serial)));
}

/** A recording of `bytes` that costs no disk: a sparse file reads as zeros, hashed and uploaded like any other. */
function sparseRecording(root: string, bytes: number): void {
  mkdirSync(join(root, 'DCIM'), { recursive: true });
  writeFileSync(join(root, 'DCIM/FILE0001.MP4'), '');
  truncateSync(join(root, 'DCIM/FILE0001.MP4'), bytes);
}

/** What systemd and `docker stop` do: SIGTERM, then wait for the process to end by itself. */
describe('the daemon under a supervisor', () => {
  it('stops on SIGTERM within its grace time, closing everything, with exit 0', async () => {
    const endpoints = inject('endpoints');
    const own = { ...endpoints, postgresUrl: await freshDatabase(endpoints), minio: { ...endpoints.minio, bucket: freshBucketName() } };
    const daemon = startDaemonProcess({
      ...servicesEnv(own, `sigterm-${randomBytes(3).toString('hex')}`),
      EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-sigterm-')),
      EVIDOCK_DOCK_PATHS: mkdtempSync(join(tmpdir(), 'e2e-sigterm-dock-')),
      EVIDOCK_SHUTDOWN_GRACE_MS: '500',
      EVIDOCK_SHUTDOWN_CLOSE_MS: '5000',
    });
    try {
      await daemon.waitForLog('evidock started');
      const began = Date.now();
      const exited = new Promise<number | null>((resolve) => daemon.child.once('exit', (code) => resolve(code)));
      daemon.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - began).toBeLessThan(5500);
      const out = daemon.output();
      expect(out).toContain('"signal":"SIGTERM","graceMs":500');
      expect(out).toContain('"msg":"stopped"');
      expect(out).not.toContain('stop did not finish in time');
    } finally {
      await daemon.stop();
    }
  });

  it('stops in one grace time while four bays are securing and a transcode runs, taking no device after the signal', async () => {
    const graceMs = 4000;
    // Less than graceMs: stopping the worker sets one after another (2 × graceMs) would overrun graceMs + closeMs.
    const closeMs = 3500;
    const endpoints = inject('endpoints');
    const own = { ...endpoints, postgresUrl: await freshDatabase(endpoints), minio: { ...endpoints.minio, bucket: freshBucketName() } };
    const dockDir = mkdtempSync(join(tmpdir(), 'e2e-sigterm-busy-dock-'));
    const db = new pg.Client({ connectionString: own.postgresUrl });
    const daemon = startDaemonProcess({
      ...servicesEnv(own, `sigterm-busy-${randomBytes(3).toString('hex')}`),
      EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-sigterm-busy-')),
      EVIDOCK_DOCK_PATHS: dockDir,
      EVIDOCK_DOCK_SETTLE_MS: '300',
      EVIDOCK_SECURE_CONCURRENCY: '4',
      EVIDOCK_DEVICES_MAX_CONCURRENT: '6',
      // Media work must not give way to securing here: the transcode has to be running when the signal comes.
      EVIDOCK_MEDIA_YIELD_TO_DOCKING: 'false',
      EVIDOCK_MEDIA_QUEUE_PREFIX: `media-sigterm-${randomBytes(3).toString('hex')}`,
      EVIDOCK_LOG_LEVEL: 'debug',
      EVIDOCK_SHUTDOWN_GRACE_MS: String(graceMs),
      EVIDOCK_SHUTDOWN_CLOSE_MS: String(closeMs),
    });
    try {
      await daemon.waitForLog('evidock started');
      await db.connect();
      const sessionStates = async () => new Map((await db.query<{ device_serial: string; state: string }>('SELECT device_serial, state FROM dock_sessions')).rows.map((r) => [r.device_serial, r.state]));

      await dockFolder(dockDir, 'CLIP-1', (root) => makeClip(join(root, 'DCIM/CLIP0001.MP4'), { seconds: 40 }).then(() => undefined));
      await waitFor('a transcode running', async () => /"stage":"transcode"[^\n]*"msg":"media progress"/.test(daemon.output()), 120_000);

      const bays = ['BAY-1', 'BAY-2', 'BAY-3', 'BAY-4'];
      for (const serial of bays) await dockFolder(dockDir, serial, (root) => sparseRecording(root, 3 * 2 ** 30));
      await waitFor('four bays securing', async () => {
        const states = await sessionStates();
        return bays.every((serial) => states.get(serial) === 'securing');
      }, 60_000);
      const transcodes = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM media_derivatives WHERE role = 'proxy'")).rows[0]!.n;
      expect(transcodes, 'the transcode was still running at the signal').toBe(0);

      const began = Date.now();
      const exited = new Promise<number | null>((resolve) => daemon.child.once('exit', (code) => resolve(code)));
      daemon.child.kill('SIGTERM');
      // Docked after the signal: phase 1 stopped the device sources, so no session opens for it.
      await dockFolder(dockDir, 'LATE-1', (root) => sparseRecording(root, 1000));
      expect(await exited, daemon.output().split('\n').filter((line) => line.includes('"msg":"stopped"') || line.includes('did not finish')).join('\n')).toBe(0);
      const tookMs = Date.now() - began;
      expect(tookMs).toBeLessThan(graceMs + closeMs);

      const out = daemon.output();
      expect(out).not.toContain('stop did not finish in time');
      expect(out).toContain('"phase":1');
      expect(out).toContain('"phase":2');
      expect(out).toContain('"msg":"stopped"');
      const states = await sessionStates();
      expect(states.has('LATE-1')).toBe(false);
      // The bays were busy to the end: their jobs were released at the grace time, not finished.
      expect(bays.filter((serial) => states.get(serial) === 'secured')).toEqual([]);
    } finally {
      await daemon.stop();
      await db.end().catch(() => undefined);
      rmSync(dockDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('stops cleanly on Ctrl-C in a terminal running `npm start` (SIGINT to the whole process group)', async () => {
    const endpoints = inject('endpoints');
    const own = { ...endpoints, postgresUrl: await freshDatabase(endpoints), minio: { ...endpoints.minio, bucket: freshBucketName() } };
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVIDOCK_'))),
      ...servicesEnv(own, `ctrlc-${randomBytes(3).toString('hex')}`),
      EVIDOCK_API_PORT: '0',
      EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-ctrlc-')),
      EVIDOCK_DOCK_PATHS: mkdtempSync(join(tmpdir(), 'e2e-ctrlc-dock-')),
    };
    // Its own process group, like a terminal's foreground job: Ctrl-C signals every process in it.
    const child = spawn('npm', ['start'], { cwd: join(import.meta.dirname, '../..'), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('"msg":"evidock started"')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`daemon did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(-child.pid!, 'SIGINT');
      await exited; // npm itself ends on the signal; the daemon's own log says how it stopped
      await new Promise((r) => setTimeout(r, 500));
      expect(out).toContain('"msg":"stopped"');
      expect(out).not.toContain('second signal');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
