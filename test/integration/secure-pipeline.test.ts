import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOf } from '../../src/app/hashing.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('securing a docked device (real PostgreSQL, MinIO, Redis, ffprobe)', () => {
  let h: Harness;
  let device: string;
  const outside = mkdtempSync(join(tmpdir(), 'outside-'));

  beforeAll(async () => {
    h = await createHarness();
    h.startWorkers();
    device = join(h.dockDir, 'BWC-0001');
    makeDevice(device, {
      'DEVICE_ID.txt': 'BWC 0001\n',
      'DCIM/100MEDIA/FILE0001.MP4': 300_000,
      'DCIM/100MEDIA/FILE0002.MP4': 2_000_000,
      'PHOTO/IMG_0001.JPG': 50_000,
      'AUDIO/录音 2026-05-01 #1.wav': 40_000,
      'AUDIO/empty.wav': '',
      'LOG/system.log': 'boot ok',
    });
    writeFileSync(join(outside, 'not-on-device.mp4'), 'outside');
    symlinkSync(join(outside, 'not-on-device.mp4'), join(device, 'DCIM/escape.mp4'));
    // A clip whose container says when it was recorded.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10', '-metadata', 'creation_time=2026-05-01T08:30:00Z', '-y', join(device, 'DCIM/100MEDIA/FILE0003.MP4')]);
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
  });

  afterAll(async () => h?.close());

  it('secures every media file and marks the device safe to undock', async () => {
    const session = await h.waitForSession('BWC-0001');
    expect(session).toMatchObject({ state: 'secured', filesTotal: 6, filesSecured: 6, filesFailed: 0 });
    const items = await h.deps.catalog.queryItems({ device: 'BWC-0001' });
    expect(items.map((i) => i.originalPath).sort()).toEqual([
      'AUDIO/empty.wav', 'AUDIO/录音 2026-05-01 #1.wav', 'DCIM/100MEDIA/FILE0001.MP4', 'DCIM/100MEDIA/FILE0002.MP4', 'DCIM/100MEDIA/FILE0003.MP4', 'PHOTO/IMG_0001.JPG',
    ]);
    expect(session.bytesSecured).toBe(items.reduce((n, i) => n + i.size, 0));
  });

  it('stores bytes that hash to the SHA-256 of the device file, with metadata and a manifest', async () => {
    for (const item of await h.deps.catalog.queryItems({ device: 'BWC-0001' })) {
      const onDevice = readFileSync(join(device, item.originalPath));
      expect(item.sha256).toBe(sha(onDevice));
      const stored = await hashOf(await h.deps.store.read(item.objects.original, item.objects.originalVersion));
      expect(stored).toEqual({ sha256: sha(onDevice), size: onDevice.length });
      const info = await h.deps.store.stat(item.objects.original);
      expect(info?.metadata).toMatchObject({ sha256: item.sha256, device: 'BWC-0001', 'captured-at': item.capturedAt.toISOString(), 'evidence-id': item.id });
      const manifest = JSON.parse((await h.deps.store.read(item.objects.manifest).then((s) => s.toArray())).map(String).join(''));
      expect(manifest).toMatchObject({ id: item.id, sha256: item.sha256, size: item.size, device: { serial: 'BWC-0001', originalPath: item.originalPath } });
    }
  });

  it('takes the capture time from the container when it has one, else the file time, and says which', async () => {
    const [tagged] = await h.deps.catalog.queryItems({ device: 'BWC-0001', since: new Date('2026-05-01T08:30:00Z'), until: new Date('2026-05-01T08:30:01Z') });
    expect(tagged).toMatchObject({ originalPath: 'DCIM/100MEDIA/FILE0003.MP4', capturedAtSource: 'container' });
    const photo = (await h.deps.catalog.queryItems({ device: 'BWC-0001' })).find((i) => i.kind === 'photo');
    expect(photo?.capturedAtSource).toBe('mtime');
  });

  it('records custody: detected, hashed, stored, verified for each item; refusals with their reason', async () => {
    const [item] = await h.deps.catalog.queryItems({ device: 'BWC-0001', limit: 1 });
    const types = (await h.deps.catalog.custodyEvents({ itemId: item!.id })).map((e) => e.type);
    expect(types).toEqual(['hashed', 'stored', 'verified', 'manifest-written', 'retention-set', 'tagged']);
    const sessionEvents = await h.deps.catalog.custodyEvents({ sessionId: item!.sessionId });
    expect(sessionEvents[0]).toMatchObject({ type: 'device-detected', actor: h.config.dockHost, details: { serialSource: 'id-file' } });
    expect(sessionEvents.filter((e) => e.type === 'file-found')).toHaveLength(6);
    const refused = sessionEvents.find((e) => e.type === 'file-refused');
    expect(refused).toMatchObject({ filePath: 'DCIM/escape.mp4', details: { reason: expect.stringMatching(/outside the device/) } });
    const nonMedia = await h.deps.catalog.sessionFile(item!.sessionId, 'LOG/system.log');
    expect(nonMedia).toMatchObject({ state: 'refused', reason: expect.stringMatching(/not a media file/) });
  });

  it('docking the same device again uploads nothing and adds a custody event per file', async () => {
    const before = await h.deps.catalog.queryItems({});
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    const second = await h.waitForSession('BWC-0001', (s) => s.id !== before[0]!.sessionId && s.state === 'secured');
    expect(second).toMatchObject({ filesSecured: 6, filesTotal: 6 });
    const after = await h.deps.catalog.queryItems({});
    expect(after.map((i) => [i.id, i.objects.originalVersion])).toEqual(before.map((i) => [i.id, i.objects.originalVersion]));
    const redocked = (await h.deps.catalog.custodyEvents({ sessionId: second.id })).filter((e) => e.type === 'redocked');
    expect(redocked).toHaveLength(6);
  });

  it('the same content on another device becomes one more custody event on the existing item', async () => {
    const other = makeDevice(join(h.dockDir, 'CAM-7'), {
      'copy.mp4': readFileSync(join(device, 'DCIM/100MEDIA/FILE0001.MP4')),
      'new.jpg': 1234,
    });
    await h.dock.handle({ type: 'docked', mountPath: other, volumeLabel: null });
    const session = await h.waitForSession('CAM-7');
    expect(session).toMatchObject({ state: 'secured', filesSecured: 2 });
    const original = (await h.deps.catalog.queryItems({ device: 'BWC-0001' })).find((i) => i.originalPath.endsWith('FILE0001.MP4'))!;
    const events = await h.deps.catalog.custodyEvents({ itemId: original.id });
    expect(events.at(-1)).toMatchObject({ type: 'duplicate-content', deviceSerial: 'CAM-7', filePath: 'copy.mp4' });
    expect(await h.deps.catalog.queryItems({ device: 'CAM-7' })).toHaveLength(1);
    expect(await h.deps.catalog.sessionFile(session.id, 'copy.mp4')).toMatchObject({ state: 'duplicate', itemId: original.id });
  });
});
