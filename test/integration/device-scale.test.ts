import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocking } from '../../src/app/dock/docking.ts';
import { deviceAdapters } from '../../src/main/roles/dock.ts';
import type { ProcessorTable } from '../../src/ports/jobs.ts';
import { createHarness, type Harness, waitFor } from '../support/harness.ts';
import { LoopRig, type Storage } from '../support/loop-devices.ts';

/** Devices at the edges: very many small files, and one pulled while it is being listed (real exFAT, real services). */
describe('device scale and a device lost during the scan', () => {
  const rig = new LoopRig();
  const root = mkdtempSync(join(tmpdir(), 'evidock-scale-root-'));
  const progressSeen: number[] = [];
  let yankOnScan: Storage | null = null;
  let h: Harness;
  let docking: { stop(): Promise<void> };

  const sessionOf = (serial: string) => h.deps.catalog.recentSessions(3600_000, new Date()).then((all) => all.filter((s) => s.deviceSerial === serial).at(-1));

  beforeAll(async () => {
    h = await createHarness({
      'devices.mountRoots': [root], 'devices.usb': false, 'secure.concurrency': 4,
      'devices.models': [{ name: 'Acme BWC-7', type: 'body-camera', labelPattern: '^BWC' }],
    });
    // The scan reports progress every 500 files: the device to pull goes at the first report.
    h.startWorkers((table): ProcessorTable => ({
      ...table,
      'scan-device': (payload, ctx) => table['scan-device'](payload, {
        ...ctx,
        progress: async (value) => {
          progressSeen.push(value.filesListed as number);
          if (yankOnScan?.mountPath === payload.mountPath) rig.yank(yankOnScan);
          await ctx.progress(value);
        },
      }),
    }));
    docking = await startDocking(h.deps, deviceAdapters(h.deps));
  }, 300_000);

  afterAll(async () => {
    await docking?.stop();
    await h?.close();
    await rig.cleanup();
  });

  it('secures a device holding 10,000 small files, with progress while it is listed', async () => {
    const files: Record<string, string> = { 'DEVICE_ID.txt': 'BWC-10K' };
    for (let i = 0; i < 10_000; i++) files[`DCIM/${100 + Math.floor(i / 1000)}MEDIA/IMG${String(i).padStart(5, '0')}.JPG`] = `photo ${i}`;
    const image = await rig.image('exfat', 'BWC10K', files, { sizeMb: 256 });
    await rig.mount(image, 'exfat', join(root, 'BWC10K'));

    const session = await waitFor('10,000 files secured', async () => {
      const s = await sessionOf('BWC-10K');
      return s && s.state !== 'scanning' && s.state !== 'securing' && s.state !== 'waiting' ? s : null;
    }, 900_000);
    expect(session).toMatchObject({ state: 'secured', filesTotal: 10_000, filesSecured: 10_000, filesFailed: 0 });
    expect(progressSeen.slice(0, 3)).toEqual([500, 1000, 1500]);
    const items = await h.deps.catalog.queryItems({ device: 'BWC-10K', limit: 20_000 });
    expect(new Set(items.map((i) => i.originalPath)).size).toBe(10_000);
  }, 1_000_000);

  it('a device pulled while it is being listed interrupts its session; nothing of it is queued', async () => {
    const files: Record<string, string> = { 'DEVICE_ID.txt': 'BWC-GONE' };
    for (let i = 0; i < 2000; i++) files[`DCIM/${100 + Math.floor(i / 400)}MEDIA/IMG${i}.JPG`] = `x${i}`;
    const image = await rig.image('exfat', 'BWCGONE', files, { sizeMb: 64 });
    const storage = await rig.mount(image, 'exfat', join(root, 'BWCGONE'));
    yankOnScan = storage;
    const session = await waitFor('the session interrupted', async () => {
      const s = await sessionOf('BWC-GONE');
      return s?.state === 'interrupted' ? s : null;
    }, 30_000);
    expect(session).toMatchObject({ filesTotal: 0, reason: expect.stringMatching(/device removed/) });
    const counts = await h.deps.queues.counts();
    const secure = counts[`secure-${h.config.dockHost}`]!;
    expect((secure.waiting ?? 0) + (secure.prioritized ?? 0) + (secure.active ?? 0)).toBe(0);
  });
});
