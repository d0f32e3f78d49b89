import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DockJson, ItemJson } from '../../src/app/contracts.ts';
import { runCli, startDaemonProcess, type DaemonProcess, withCliPeople } from '../support/cli.ts';
import { freePorts } from '../support/ports.ts';
import { makeDevice, waitFor } from '../support/harness.ts';
import { freshBucketName, freshDatabase } from '../support/isolation.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A device is copied next to the dock, then moved in at once, as a mount appears. */
function dockDevice(dockDir: string, serial: string, files: Record<string, number>): string {
  const staging = mkdtempSync(join(tmpdir(), 'staging-'));
  makeDevice(join(staging, serial), files);
  renameSync(join(staging, serial), join(dockDir, serial));
  return join(dockDir, serial);
}

async function statusUntilSafe(env: Record<string, string>, serial: string): Promise<DockJson> {
  return waitFor(`${serial} safe to undock`, async () => {
    const { code, stdout } = await runCli(['status', '--json'], env);
    if (code !== 0) return null;
    const dock = (JSON.parse(stdout) as { docks: DockJson[] }).docks.find((d) => d.deviceSerial === serial);
    return dock?.safeToUndock ? dock : null;
  }, 60_000);
}

describe('the daemon as a user runs it', () => {
  describe('with configured services', () => {
    let env: Record<string, string>;
    let daemon: DaemonProcess;
    const dockDir = mkdtempSync(join(tmpdir(), 'e2e-dock-'));

    beforeAll(async () => {
      const endpoints = inject('endpoints');
      const minio = endpoints.minio;
      env = {
        EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-data-')),
        EVIDOCK_REDIS_URL: endpoints.redisUrl,
        EVIDOCK_POSTGRES_URL: await freshDatabase(endpoints),
        EVIDOCK_MINIO_URL: `http://${minio.endPoint}:${minio.port}`,
        EVIDOCK_MINIO_ACCESS_KEY: minio.accessKey,
        EVIDOCK_MINIO_SECRET_KEY: minio.secretKey,
        EVIDOCK_MINIO_BUCKET: freshBucketName(),
        EVIDOCK_DOCK_PATHS: dockDir,
        EVIDOCK_DOCK_SETTLE_MS: '300',
        EVIDOCK_DOCK_HOST: `e2e-${randomBytes(3).toString('hex')}`,
      };
      daemon = startDaemonProcess(env);
      await daemon.waitForLog('evidock started');
      env = await withCliPeople(env, [['AUD-1', 'auditor']], 'AUD-1');
    }, 300_000);
    afterAll(async () => daemon?.stop());

    it('secures a docked device; status and query show it with the documented fields', async () => {
      const device = dockDevice(dockDir, 'E2E-BWC-1', { 'DCIM/100MEDIA/FILE0001.MP4': 400_000, 'DCIM/100MEDIA/FILE0002.MP4': 1000, 'REC/a.wav': 2000, 'notes.txt': 10 });
      const dock = await statusUntilSafe(env, 'E2E-BWC-1');
      expect(dock).toMatchObject({ state: 'secured', filesSecured: 3, filesTotal: 3, bytesSecured: 403_000, bytesTotal: 403_000 });

      const { code, stdout } = await runCli(['query', '--json', '--device', 'E2E-BWC-1'], env);
      expect(code).toBe(0);
      const items = JSON.parse(stdout) as ItemJson[];
      expect(items).toHaveLength(3);
      const clip = items.find((i) => i.originalPath === 'DCIM/100MEDIA/FILE0001.MP4')!;
      expect(clip).toMatchObject({
        sha256: sha(join(device, 'DCIM/100MEDIA/FILE0001.MP4')), size: 400_000, deviceSerial: 'E2E-BWC-1', officerId: null, caseId: null,
        category: null, phase: null, status: 'secured', objects: { original: `items/${clip.id}/original.mp4` },
      });
      for (const key of ['id', 'sha256', 'size', 'deviceSerial', 'originalPath', 'officerId', 'caseId', 'category', 'phase', 'capturedAt', 'securedAt', 'status']) {
        expect(clip).toHaveProperty(key);
      }
      const bySha = JSON.parse((await runCli(['query', '--json', '--sha256', clip.sha256], env)).stdout) as ItemJson[];
      expect(bySha.map((i) => i.id)).toEqual([clip.id]);
    });

    it('the human status view shows a bar and the safe-to-undock state', async () => {
      const { stdout } = await runCli(['status'], env);
      expect(stdout).toMatch(/E2E-BWC-1\s+\[#{30}\] 3\/3 files .* SAFE TO UNDOCK/);
      expect(stdout).toMatch(/secure-e2e-/);
    });

    it('stops cleanly on Ctrl-C', async () => {
      expect(await daemon.stop()).toBe(0);
      expect(daemon.output()).toContain('"msg":"stopped"');
    });
  });

  it('refuses a bad config value at start, naming the key', async () => {
    const { code, stderr } = await runCli(['start'], { EVIDOCK_SECURE_CONCURRENCY: 'lots', EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'bad-')) });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/config key "secure\.concurrency" \(env EVIDOCK_SECURE_CONCURRENCY\)/);
  });

  it('names the service and its address when one is down at start', async () => {
    const [port] = await freePorts(1);
    const { code, stderr } = await runCli(['start'], {
      EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'down-')),
      EVIDOCK_REDIS_URL: `redis://127.0.0.1:${port}`,
      EVIDOCK_POSTGRES_URL: 'postgres://nobody:secret@127.0.0.1:1/none',
      EVIDOCK_MINIO_URL: `http://127.0.0.1:${port}`,
      EVIDOCK_MINIO_ACCESS_KEY: 'someone',
      EVIDOCK_MINIO_SECRET_KEY: 'something-long',
      EVIDOCK_READY_TIMEOUT_MS: '1500',
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`redis`);
    expect(stderr).toContain(`127.0.0.1:${port}`);
    expect(stderr).toMatch(/postgres/);
    expect(stderr).not.toContain('secret@');
  });

  it('with nothing configured, starts its own Redis, PostgreSQL and MinIO, and leaves nothing running after Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-embedded-'));
    chmodSync(dataDir, 0o755);
    const [redis, postgres, minio, consolePort] = await freePorts(4);
    const ports = { redis: redis!, postgres: postgres!, minio: minio!, console: consolePort! };
    const env = {
      EVIDOCK_DATA_DIR: dataDir,
      EVIDOCK_REDIS_PORT: String(ports.redis),
      EVIDOCK_POSTGRES_PORT: String(ports.postgres),
      EVIDOCK_MINIO_PORT: String(ports.minio),
      EVIDOCK_MINIO_CONSOLE_PORT: String(ports.console),
      EVIDOCK_DOCK_SETTLE_MS: '300',
    };
    const daemon = startDaemonProcess(env);
    try {
      await daemon.waitForLog('evidock started', 120_000);
      dockDevice(join(dataDir, 'dock'), 'EMBEDDED-1', { 'DCIM/a.mp4': 10_000 });
      const dock = await statusUntilSafe(env, 'EMBEDDED-1');
      expect(dock.filesSecured).toBe(1);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    const listening = async (port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
  });
});
