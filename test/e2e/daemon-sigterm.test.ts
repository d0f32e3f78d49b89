import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { servicesEnv, startDaemonProcess } from '../support/cli.ts';
import { freshBucketName, freshDatabase } from '../support/isolation.ts';

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
