import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOf } from '../../src/app/hashing.ts';
import { mediaJson, type MediaJson } from '../../src/app/media/contracts.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import type { ItemJson } from '../../src/app/contracts.ts';
import { runCli, withCliPeople } from '../support/cli.ts';
import { createHarness, type Harness, harnessEnv, waitFor } from '../support/harness.ts';
import { makeAmr, makeClip, makeExifJpeg, makePng, makeTruncatedClip, makeWav } from '../support/media-fixtures.ts';

const run = promisify(execFile);

/** ffprobe's own view of a file (independent of the adapter under test). */
async function ffprobe(path: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  const json = JSON.parse(stdout) as { format: { duration: string }; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string }> };
  return { duration: Number(json.format.duration), video: json.streams.find((s) => s.codec_type === 'video'), audio: json.streams.find((s) => s.codec_type === 'audio') };
}

/** Offsets of the top-level MP4 boxes: with `+faststart` the index (moov) comes before the media data (mdat). */
function topLevelBoxes(file: Buffer): string[] {
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= file.length;) {
    let size = file.readUInt32BE(at);
    if (size === 1) size = Number(file.readBigUInt64BE(at + 8));
    boxes.push(file.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

describe('media pipeline: probe, proxies, posters, thumbnails and waveforms (real ffmpeg, sharp, MinIO, PostgreSQL, Redis)', () => {
  let h: Harness;
  let items: Map<string, EvidenceItem>;
  let media: Map<string, MediaJson>;
  const scratch = mkdtempSync(join(tmpdir(), 'media-test-'));

  const download = async (key: string, versionId: string | null = null): Promise<string> => {
    const path = join(scratch, key.replace(/\//g, '_'));
    writeFileSync(path, Buffer.concat(await (await h.deps.store.read(key, versionId)).toArray()));
    return path;
  };
  const derivative = (path: string, role: string) => {
    const d = media.get(path)!.derivatives.find((x) => x.role === role);
    if (!d) throw new Error(`${path} has no ${role}: ${JSON.stringify(media.get(path))}`);
    return d;
  };

  beforeAll(async () => {
    h = await createHarness();
    h.startWorkers();
    await h.startMediaWorkers();
    const staging = join(scratch, 'MEDIA-01');
    await Promise.all([
      makeClip(join(staging, 'DCIM/CLIP1080.MP4'), { seconds: 2, creationTime: '2024-05-06T07:08:09Z' }),
      makeClip(join(staging, 'DCIM/HEVC.MP4'), { seconds: 1, size: '640x360', codec: 'libx265' }),
      makeClip(join(staging, 'DCIM/SILENT.MP4'), { seconds: 1, size: '640x360', audio: false }),
      makeTruncatedClip(join(staging, 'DCIM/BROKEN.MP4')),
      makeWav(join(staging, 'REC/CALL.WAV'), 2),
      makeExifJpeg(join(staging, 'DCIM/PHOTO.JPG'), { dateTimeOriginal: '2024:05:06 07:08:09', offset: '+08:00' }),
      makePng(join(staging, 'DCIM/SCAN.PNG')),
    ]);
    makeAmr(join(staging, 'REC/HOTLINE.AMR'), 3);
    const device = join(h.dockDir, 'MEDIA-01');
    await run('mv', [staging, device]);
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    const session = await h.waitForSession('MEDIA-01');
    expect(session).toMatchObject({ state: 'secured', filesSecured: 8 });

    const secured = await h.deps.catalog.queryItems({ device: 'MEDIA-01' });
    const ids = secured.map((i) => i.id);
    const settled = await waitFor('media of every item settled', async () => {
      const all = await h.deps.media.catalog.mediaOf(ids);
      return [...all.values()].every((m) => m.state !== 'pending') ? all : null;
    }, 240_000);
    // Capture times may have been corrected by the probe: read the items again.
    items = new Map((await h.deps.catalog.queryItems({ device: 'MEDIA-01' })).map((i) => [i.originalPath, i]));
    media = new Map([...items.values()].map((i) => [i.originalPath, mediaJson(settled.get(i.id))]));
  }, 400_000);

  afterAll(async () => {
    await h?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('makes a faststart H.264/AAC proxy of at most 720p, a poster, a thumbnail and a strip for a 1080p clip', async () => {
    expect(media.get('DCIM/CLIP1080.MP4')).toMatchObject({ state: 'ready', reason: null, durationSec: expect.closeTo(2, 1), width: 1920, height: 1080, videoCodec: 'h264', audioCodec: 'aac' });
    const proxy = derivative('DCIM/CLIP1080.MP4', 'proxy');
    const item = items.get('DCIM/CLIP1080.MP4')!;
    expect(proxy).toMatchObject({ key: `items/${item.id}/derived/proxy.mp4`, contentType: 'video/mp4', width: 1280, height: 720 });
    const file = await download(proxy.key, proxy.versionId);
    const probed = await ffprobe(file);
    expect(probed.video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(probed.audio?.codec_name).toBe('aac');
    expect(Math.abs(probed.duration - 2)).toBeLessThan(0.2);
    const boxes = topLevelBoxes(readFileSync(file));
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expect((await hashOf(await h.deps.store.read(proxy.key, proxy.versionId))).sha256).toBe(proxy.sha256);

    const poster = await sharp(await download(derivative('DCIM/CLIP1080.MP4', 'poster').key)).metadata();
    expect(poster).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
    const thumbnail = await sharp(await download(derivative('DCIM/CLIP1080.MP4', 'thumbnail').key)).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 320, height: 180 });
    const strip = await sharp(await download(derivative('DCIM/CLIP1080.MP4', 'strip').key)).metadata();
    expect(strip).toMatchObject({ format: 'webp', width: 160 * 10, height: 90 });
  });

  it('keeps the container capture time of a clip', () => {
    expect(items.get('DCIM/CLIP1080.MP4')).toMatchObject({ capturedAt: new Date('2024-05-06T07:08:09Z'), capturedAtSource: 'container' });
  });

  it('turns HEVC into H.264 a browser plays, and a clip without sound into a proxy without sound', async () => {
    const hevc = await ffprobe(await download(derivative('DCIM/HEVC.MP4', 'proxy').key));
    expect(media.get('DCIM/HEVC.MP4')).toMatchObject({ state: 'ready', videoCodec: 'hevc' });
    expect(hevc.video).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    const silent = await ffprobe(await download(derivative('DCIM/SILENT.MP4', 'proxy').key));
    expect(media.get('DCIM/SILENT.MP4')).toMatchObject({ state: 'ready', audioCodec: null });
    expect(silent.video?.codec_name).toBe('h264');
    expect(silent.audio).toBeUndefined();
  });

  it('marks a truncated MP4 unplayable with ffmpeg\'s reason, keeping the original secured and unchanged', async () => {
    const item = items.get('DCIM/BROKEN.MP4')!;
    expect(media.get('DCIM/BROKEN.MP4')).toMatchObject({ state: 'unplayable', derivatives: [] });
    expect(media.get('DCIM/BROKEN.MP4')!.reason).toMatch(/moov atom not found/);
    expect(item.status).toBe('secured');
    expect((await hashOf(await h.deps.store.read(item.objects.original, item.objects.originalVersion))).sha256).toBe(item.sha256);
    const events = await h.deps.catalog.custodyEvents({ itemId: item.id });
    expect(events.map((e) => e.type)).toContain('media-unplayable');
  });

  it('gives call recordings (WAV, AMR) an AAC proxy and a waveform', async () => {
    for (const path of ['REC/CALL.WAV', 'REC/HOTLINE.AMR']) {
      expect(media.get(path)).toMatchObject({ state: 'ready', reason: null });
      const proxy = derivative(path, 'proxy');
      expect(proxy).toMatchObject({ contentType: 'audio/mp4', key: expect.stringMatching(/derived\/proxy\.m4a$/) });
      const probed = await ffprobe(await download(proxy.key));
      expect(probed.audio?.codec_name).toBe('aac');
      expect(Number(probed.audio?.sample_rate)).toBeGreaterThanOrEqual(16000);
      expect(Math.abs(probed.duration - (path.endsWith('WAV') ? 2 : 3))).toBeLessThan(0.3);
      const waveform = await sharp(await download(derivative(path, 'waveform').key)).metadata();
      expect(waveform).toMatchObject({ format: 'webp', width: 1200, height: 160 });
    }
  });

  it('takes a photo\'s capture time from EXIF (with its offset), records the correction, and makes an upright display image and thumbnail', async () => {
    const item = items.get('DCIM/PHOTO.JPG')!;
    expect(item).toMatchObject({ capturedAt: new Date('2024-05-05T23:08:09Z'), capturedAtSource: 'exif' });
    const corrected = (await h.deps.catalog.custodyEvents({ itemId: item.id })).find((e) => e.type === 'capture-time-corrected');
    expect(corrected?.details).toMatchObject({ fromSource: 'mtime', to: '2024-05-05T23:08:09.000Z', toSource: 'exif' });
    expect(media.get('DCIM/PHOTO.JPG')).toMatchObject({ state: 'ready', width: 2000, height: 3000, gps: { lat: expect.closeTo(31.24, 3), lon: expect.closeTo(121.47, 3) } });
    const display = await sharp(await download(derivative('DCIM/PHOTO.JPG', 'display').key)).metadata();
    expect(display).toMatchObject({ format: 'jpeg', width: 1365, height: 2048 });
    expect(display.orientation ?? 1).toBe(1);
    const thumbnail = await sharp(await download(derivative('DCIM/PHOTO.JPG', 'thumbnail').key)).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 213, height: 320 });
  });

  it('leaves a PNG without EXIF at its file time, with a display image and thumbnail', async () => {
    expect(items.get('DCIM/SCAN.PNG')!.capturedAtSource).toBe('mtime');
    expect(media.get('DCIM/SCAN.PNG')).toMatchObject({ state: 'ready', width: 800, height: 600 });
    expect(derivative('DCIM/SCAN.PNG', 'display')).toMatchObject({ width: 800, height: 600, contentType: 'image/jpeg' });
    expect(derivative('DCIM/SCAN.PNG', 'thumbnail')).toMatchObject({ width: 320, height: 240 });
  });

  it('shows each item\'s media in `evidock query --json`, as documented', async () => {
    const { code, stdout, stderr } = await runCli(['query', '--json', '--device', 'MEDIA-01'], await withCliPeople(harnessEnv(h), [['AUD-1', 'auditor']], 'AUD-1'));
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as Array<ItemJson & { media: MediaJson }>;
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row.media).toEqual(media.get(row.originalPath));
    expect(rows.find((r) => r.originalPath === 'DCIM/PHOTO.JPG')).toMatchObject({ capturedAtSource: 'exif', media: { state: 'ready' } });
    expect(rows.find((r) => r.originalPath === 'DCIM/BROKEN.MP4')!.media).toMatchObject({ state: 'unplayable', reason: expect.stringMatching(/moov atom not found/), derivatives: [] });
  });

  it('never alters an original: every one still hashes to its secured SHA-256, and each derivative names it', async () => {
    for (const item of items.values()) {
      const original = await h.deps.store.stat(item.objects.original, item.objects.originalVersion);
      expect(original?.metadata.sha256).toBe(item.sha256);
      expect((await hashOf(await h.deps.store.read(item.objects.original, item.objects.originalVersion))).sha256).toBe(item.sha256);
      for (const d of media.get(item.originalPath)!.derivatives) {
        expect(d.key.startsWith(`items/${item.id}/derived/`)).toBe(true);
        expect((await h.deps.store.stat(d.key, d.versionId))?.metadata).toMatchObject({ 'derived-from': item.sha256, 'evidence-id': item.id });
      }
      const stored = (await h.deps.catalog.custodyEvents({ itemId: item.id })).filter((e) => e.type === 'derivative-stored');
      expect(stored.map((e) => e.details.role).sort()).toEqual(media.get(item.originalPath)!.derivatives.map((d) => d.role).sort());
    }
  });
});
