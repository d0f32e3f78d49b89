import { execFile } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemonProcess, type DaemonProcess } from '../support/cli.ts';
import { createHarness, type Harness, harnessEnv, waitFor } from '../support/harness.ts';
import { makeClip } from '../support/media-fixtures.ts';

const run = promisify(execFile);

/** Processes whose command line mentions `text` (ffmpeg children of a worker, found by its work folder). */
async function processesMentioning(text: string): Promise<string[]> {
  const { stdout } = await run('pgrep', ['-af', text]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l.trim() && !l.includes('pgrep'));
}

describe('a media worker killed mid-transcode', () => {
  let h: Harness;
  let worker: DaemonProcess;
  const workerData = mkdtempSync(join(tmpdir(), 'killed-worker-'));
  const staging = mkdtempSync(join(tmpdir(), 'staging-'));

  beforeAll(async () => {
    // Short locks: a dead worker's job is taken again within seconds.
    h = await createHarness({ 'media.lockDurationMs': 3000 });
    h.startWorkers();
    await makeClip(join(staging, 'KILL-01/DCIM/LONG.MP4'), { seconds: 20 });
    renameSync(join(staging, 'KILL-01'), join(h.dockDir, 'KILL-01'));
    await h.dock.handle({ type: 'docked', mountPath: join(h.dockDir, 'KILL-01'), volumeLabel: null });
    expect((await h.waitForSession('KILL-01')).state).toBe('secured');

    worker = startDaemonProcess({
      ...harnessEnv(h),
      EVIDOCK_ROLES: 'worker',
      EVIDOCK_DATA_DIR: workerData,
      EVIDOCK_DOCK_HOST: 'worker-that-dies',
      EVIDOCK_LOG_LEVEL: 'debug',
      EVIDOCK_MEDIA_LOCK_DURATION_MS: '3000',
      // A slower encoder keeps the transcode running long enough to be killed in the middle of it.
      EVIDOCK_MEDIA_PROXY_PRESET: 'medium',
    });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop(5000);
    await h?.close();
    for (const dir of [workerData, staging]) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves nothing published and no encoder running; another worker takes the job again and publishes a whole proxy', async () => {
    const [item] = await h.deps.catalog.queryItems({ device: 'KILL-01' });
    await waitFor('the transcode under way', async () => /"stage":"transcode".*"msg":"media progress"/.test(worker.output()), 90_000);
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));

    // ffmpeg dies with its worker (parent-death signal), and nothing half-made is visible.
    await waitFor('its ffmpeg gone', async () => (await processesMentioning(workerData)).length === 0, 5000);
    const before = (await h.deps.media.catalog.mediaOf([item!.id])).get(item!.id)!;
    expect(before.state).toBe('pending');
    expect(before.derivatives.map((d) => d.role)).not.toContain('proxy');
    expect(await h.deps.store.stat(`items/${item!.id}/derived/proxy.mp4`)).toBeNull();

    await h.startMediaWorkers();
    const after = await waitFor('media ready', async () => {
      const m = (await h.deps.media.catalog.mediaOf([item!.id])).get(item!.id)!;
      return m.state !== 'pending' ? m : null;
    }, 150_000);
    expect(after).toMatchObject({ state: 'ready', reason: null });
    const proxy = after.derivatives.find((d) => d.role === 'proxy')!;
    expect(proxy.durationSec).toBeCloseTo(20, 0);
    expect((await h.deps.store.stat(proxy.key, proxy.versionId))?.size).toBe(proxy.size);
  }, 300_000);
});
