import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/domain/errors.ts';
import type { ImageFacts } from '../../src/ports/images.ts';
import { type MediaWorld, mediaWorld, proxyInfo, videoInfo } from '../support/memory/media-world.ts';

const transient = (what = 'ffprobe timed out after 30000 ms') => new Error(what);
const unplayable = () => new PermanentError('Invalid data found when processing input', 'unplayable');
const originalsDir = (w: MediaWorld, sha256: string) => join(w.dataDir, 'media', 'originals', sha256);
const scratchLeft = (w: MediaWorld) => (existsSync(join(w.dataDir, 'media', 'jobs')) ? readdirSync(join(w.dataDir, 'media', 'jobs')) : []);
const derivedKeys = (w: MediaWorld, itemId: string) => w.store.bucket.liveKeys(`items/${itemId}/derived/`);
const stateOf = async (w: MediaWorld, itemId: string) => (await w.catalog.mediaOf([itemId])).get(itemId)!;

/** Probes an item through the queue, so the later stages find it probed. */
async function probedWorld(kind: 'video' | 'audio' | 'photo' = 'video') {
  const w = mediaWorld();
  if (kind === 'photo') w.images.facts = async () => photoFacts;
  if (kind === 'audio') w.tools.probeAnswer = (path) => (path.includes('original') ? videoInfo({ video: null }) : proxyInfo({ video: null }));
  else w.tools.probeAnswer = (path) => (path.includes('original') ? videoInfo() : proxyInfo());
  const item = await w.secured('I1', kind);
  expect((await w.run('media-probe', item)).state).toBe('completed');
  return { w, item };
}
const photoFacts: ImageFacts = { format: 'jpeg', width: 4000, height: 3000, orientation: 1, exif: { dateTimeOriginal: null, offset: null, gps: null } };

describe('media-probe', () => {
  it('records what the probe found, takes the better capture time (with its custody event), retags and queues the flow', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    const job = await w.run('media-probe', item);
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ outcome: 'probed', plan: 'video', capturedAtSource: 'container', capturedAt: '2026-04-30T09:15:00.000Z' });
    expect(await w.catalog.probed('I1')).toMatchObject({ plan: 'video', done: ['probe'] });
    expect(w.items.get('I1')).toMatchObject({ capturedAtSource: 'container', capturedAt: new Date('2026-04-30T09:15:00Z') });
    expect(w.catalog.events.map((e) => [e.type, e.details.fromSource, e.details.toSource])).toEqual([['capture-time-corrected', 'mtime', 'container']]);
    expect(w.retagged.map((r) => r.itemId)).toEqual(['I1']);
    expect(w.flows.derived).toEqual([{ itemId: 'I1', sha256: item.sha256 }]);
    // ffprobe read a local copy, verified against the secured SHA-256.
    expect(w.tools.probes).toEqual([join(originalsDir(w, item.sha256), 'original.mp4')]);
  });

  it('an undecodable file fails for good: one attempt, the item unplayable, its local copy dropped, no flow', async () => {
    const w = mediaWorld();
    w.tools.probeAnswer = () => unplayable();
    const item = await w.secured('I1');
    const job = await w.run('media-probe', item);
    expect([job.state, job.attemptsMade]).toEqual(['failed', 1]);
    expect(await stateOf(w, 'I1')).toMatchObject({ state: 'unplayable', reason: 'probe: Invalid data found when processing input' });
    expect(await w.catalog.stageOutcomes('I1')).toEqual([{ stage: 'probe', outcome: 'unplayable', reason: 'Invalid data found when processing input' }]);
    expect(w.catalog.events.map((e) => e.type)).toEqual(['media-unplayable']);
    expect(existsSync(originalsDir(w, item.sha256))).toBe(false);
    expect(w.flows.derived).toEqual([]);
  });

  it('a video without any stream is unplayable (the plan refuses it), not retried', async () => {
    const w = mediaWorld();
    w.tools.probeAnswer = () => videoInfo({ video: null, audio: null });
    const item = await w.secured('I1');
    const job = await w.run('media-probe', item);
    expect([job.state, job.attemptsMade]).toEqual(['failed', 1]);
    expect((await stateOf(w, 'I1')).state).toBe('unplayable');
  });

  it('a transient failure is retried after the backoff, and the retry probes again and goes on', async () => {
    const w = mediaWorld();
    w.tools.probeAnswer = (_path, call) => (call === 1 ? transient() : videoInfo());
    const item = await w.secured('I1');
    const job = await w.run('media-probe', item);
    expect([job.state, job.attemptsMade]).toEqual(['completed', 2]);
    expect(w.clock.now().getTime() - new Date('2026-05-01T08:00:00Z').getTime()).toBeGreaterThanOrEqual(1000);
    expect(w.tools.probes).toHaveLength(2);
    expect(w.flows.derived).toHaveLength(1);
    expect((await stateOf(w, 'I1')).state).toBe('pending');
  });

  it('a transient failure that outlasts every attempt leaves the item failed (worth a retry), not unplayable', async () => {
    const w = mediaWorld();
    w.tools.probeAnswer = () => transient();
    const item = await w.secured('I1');
    const job = await w.run('media-probe', item);
    expect([job.state, job.attemptsMade]).toEqual(['failed', 3]);
    expect(await stateOf(w, 'I1')).toMatchObject({ state: 'failed', reason: 'probe: ffprobe timed out after 30000 ms' });
  });

  it('a stored original that reads back with another SHA-256 is never probed: the attempts fail and the item is failed', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    await w.store.put(item.objects.original, Buffer.from('tampered'));
    w.items.set('I1', { ...item, objects: { ...item.objects, originalVersion: null } });
    const job = await w.run('media-probe', item);
    expect(job.failedReason).toMatch(/reads back as sha256 .*, not the secured/);
    expect(w.tools.probes).toEqual([]);
    expect((await stateOf(w, 'I1')).state).toBe('failed');
  });

  it('a retry after the probe was recorded does not probe again: it only queues the flow (and retags when the time was corrected)', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    // The first run recorded its probe, then died before queueing the flow.
    w.flows.derive = async () => { throw transient('Redis connection lost'); };
    await w.media.processors['media-probe']({ itemId: 'I1', sha256: item.sha256 }, w.ctx()).catch(() => undefined);
    expect(w.flows.derived).toEqual([]);
    delete (w.flows as Partial<typeof w.flows>).derive;
    const again = await w.media.processors['media-probe']({ itemId: 'I1', sha256: item.sha256 }, w.ctx());
    expect(again).toEqual({ outcome: 'already-probed', plan: 'video' });
    expect(w.tools.probes).toHaveLength(1);
    expect(w.flows.derived).toHaveLength(1);
    expect(w.retagged).toHaveLength(2);
  });

  it('an item whose state is settled is left alone', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    await w.catalog.setState('I1', 'ready', null, w.clock.now(), []);
    expect(await w.media.processors['media-probe']({ itemId: 'I1', sha256: item.sha256 }, w.ctx())).toEqual({ outcome: 'already-settled', state: 'ready' });
    expect(w.tools.probes).toEqual([]);
  });

  it('a job naming no secured item (id and hash disagree) fails for good and records nothing', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    const job = await w.run('media-probe', { id: 'I2', sha256: item.sha256 });
    expect([job.state, job.attemptsMade, job.failedReason]).toEqual(['failed', 1, `no secured item I2 with sha256 ${item.sha256}`]);
    expect(await w.catalog.stageOutcomes('I1')).toEqual([]);
    expect(await w.catalog.stageOutcomes('I2')).toEqual([]);
  });

  it('a photo is probed from its image header, not ffprobe', async () => {
    const w = mediaWorld();
    w.images.facts = async () => photoFacts;
    const item = await w.secured('P1', 'photo');
    const job = await w.run('media-probe', item);
    expect(job.result).toMatchObject({ outcome: 'probed', plan: 'photo' });
    expect(w.tools.probes).toEqual([]);
  });

  it('a HEIC photo is unplayable as "unsupported format (HEIC)", not a decoder error that reads like damage; AVIF is still decoded', async () => {
    const w = mediaWorld();
    let decoded = 0;
    w.images.facts = async () => (decoded++, photoFacts);
    const heic = await w.secured('H1', 'photo', {}, heifHeader('mif1', ['mif1', 'heic', 'miaf']));
    const job = await w.run('media-probe', heic);
    expect([job.state, job.failedReason]).toEqual(['failed', expect.stringMatching(/^unsupported format \(HEIC\)/)]);
    expect(await stateOf(w, 'H1')).toMatchObject({ state: 'unplayable', reason: 'probe: unsupported format (HEIC): no HEVC image decoder here; the original is secured unchanged' });
    expect(decoded).toBe(0);
    const avif = await w.secured('A1', 'photo', {}, heifHeader('avif', ['mif1', 'avif']));
    expect((await w.run('media-probe', avif)).result).toMatchObject({ plan: 'photo' });
    expect(decoded).toBe(1);
  });
});

/** The start of an ISO-BMFF (HEIF) file: its ftyp box with a major and compatible brands. */
function heifHeader(major: string, compatible: string[]): Buffer {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.from('meta and image data')]);
}

describe('media-transcode', () => {
  it('makes a checked H.264 proxy and a poster, stores them beside the original (never over it) and records them with their hashes', async () => {
    const { w, item } = await probedWorld();
    const job = await w.run('media-transcode', item);
    expect(job.state).toBe('completed');
    expect(derivedKeys(w, 'I1')).toEqual(['items/I1/derived/poster.jpg', 'items/I1/derived/proxy.mp4']);
    expect((await w.store.bucket.versionsOf(item.objects.original)).map((v) => v.versionId)).toEqual([item.objects.originalVersion]);
    const { derivatives } = await stateOf(w, 'I1');
    const proxy = derivatives.find((d) => d.role === 'proxy')!;
    expect(proxy).toMatchObject({ contentType: 'video/mp4', size: 4000, sha256: createHash('sha256').update(Buffer.alloc(4000, 1)).digest('hex'), width: 1280, height: 720 });
    expect((await w.store.stat(proxy.key, proxy.versionId))?.metadata).toMatchObject({ 'evidence-id': 'I1', 'derived-from': item.sha256, role: 'proxy' });
    expect((await w.catalog.probed('I1'))?.done.sort()).toEqual(['probe', 'transcode']);
    expect(w.catalog.events.filter((e) => e.type === 'derivative-stored').map((e) => e.details.role)).toEqual(['proxy', 'poster']);
    expect(scratchLeft(w)).toEqual([]);
    // The original's duration sets the run's time limit.
    expect(w.tools.controls[0]?.timeoutMs).toBeGreaterThan(0);
  });

  it('a proxy that does not last as long as the original is unplayable: nothing stored, nothing recorded', async () => {
    const { w, item } = await probedWorld();
    w.tools.probeAnswer = () => proxyInfo({ durationSec: 4 });
    const job = await w.run('media-transcode', item);
    expect([job.state, job.attemptsMade]).toEqual(['failed', 1]);
    expect(job.failedReason).toMatch(/proxy lasts 4\.00 s, the original 12\.00 s/);
    expect(derivedKeys(w, 'I1')).toEqual([]);
    expect(await w.catalog.stageOutcomes('I1')).toContainEqual({ stage: 'transcode', outcome: 'unplayable', reason: expect.stringMatching(/proxy lasts/) });
    // Publish decides the item's state: transcode's failure sets none.
    expect((await stateOf(w, 'I1')).state).toBe('pending');
    expect(scratchLeft(w)).toEqual([]);
  });

  it('no decodable frame for the poster is unplayable', async () => {
    const { w, item } = await probedWorld();
    w.tools.output = (path) => (path.endsWith('poster.jpg') ? null : Buffer.alloc(10));
    const job = await w.run('media-transcode', item);
    expect([job.state, job.failedReason]).toEqual(['failed', 'no frame could be decoded for the poster']);
    expect(derivedKeys(w, 'I1')).toEqual([]);
  });

  it('an ffmpeg run that fails transiently is retried from a clean scratch folder, and stores once', async () => {
    const { w, item } = await probedWorld();
    w.tools.runAnswer = (_run, call) => (call === 1 ? transient('ffmpeg killed: timeout') : null);
    const job = await w.run('media-transcode', item);
    expect([job.state, job.attemptsMade]).toEqual(['completed', 2]);
    expect(w.tools.runs).toHaveLength(2);
    expect(w.store.bucket.versionsOf('items/I1/derived/proxy.mp4')).toHaveLength(1);
  });

  it('a stage already done is not made again (a duplicate run after a crash)', async () => {
    const { w, item } = await probedWorld();
    await w.run('media-transcode', item);
    const again = await w.media.processors['media-transcode']({ itemId: 'I1', sha256: item.sha256 }, w.ctx());
    expect(again).toEqual({ outcome: 'already-made' });
    expect(w.tools.runs).toHaveLength(1);
  });

  it('refuses an item that was never probed, for good', async () => {
    const w = mediaWorld();
    const item = await w.secured('I1');
    const job = await w.run('media-transcode', item);
    expect([job.state, job.attemptsMade, job.failedReason]).toEqual(['failed', 1, 'item I1 was not probed']);
  });

  it('sound gets an AAC proxy only; a photo a display JPEG made by the image library', async () => {
    const audio = await probedWorld('audio');
    await audio.w.run('media-transcode', audio.item);
    expect(derivedKeys(audio.w, 'I1')).toEqual(['items/I1/derived/proxy.m4a']);
    const photo = await probedWorld('photo');
    await photo.w.run('media-transcode', photo.item);
    expect(derivedKeys(photo.w, 'I1')).toEqual(['items/I1/derived/display.jpg']);
    expect(photo.w.tools.runs).toEqual([]);
  });
});

describe('media-thumbnails', () => {
  it('a video gets a thumbnail and a strip from the frames that could be decoded', async () => {
    const { w, item } = await probedWorld();
    w.tools.output = (path) => (path.endsWith('frame-2.jpg') ? null : Buffer.alloc(10));
    const job = await w.run('media-thumbnails', item);
    expect(job.state).toBe('completed');
    expect(derivedKeys(w, 'I1')).toEqual(['items/I1/derived/strip.webp', 'items/I1/derived/thumbnail.webp']);
    const strip = w.images.made.find((m) => m.op === 'strip');
    expect(strip).toBeDefined();
  });

  it('no decodable frame at all is unplayable', async () => {
    const { w, item } = await probedWorld();
    w.tools.output = () => null;
    const job = await w.run('media-thumbnails', item);
    expect([job.state, job.failedReason]).toEqual(['failed', 'no frame could be decoded for thumbnails']);
    expect(await w.catalog.stageOutcomes('I1')).toContainEqual({ stage: 'thumbnails', outcome: 'unplayable', reason: 'no frame could be decoded for thumbnails' });
  });

  it('sound gets a waveform; sound that decodes to nothing is unplayable', async () => {
    const ok = await probedWorld('audio');
    await ok.w.run('media-thumbnails', ok.item);
    expect(derivedKeys(ok.w, 'I1')).toEqual(['items/I1/derived/waveform.webp']);
    const silent = await probedWorld('audio');
    silent.w.tools.output = () => Buffer.alloc(0);
    const job = await silent.w.run('media-thumbnails', silent.item);
    expect([job.state, job.failedReason]).toEqual(['failed', 'no sound could be decoded for the waveform']);
  });
});

describe('media-publish', () => {
  it('both stages done: the item is ready, the event names its derivatives, the local copy is dropped', async () => {
    const { w, item } = await probedWorld();
    await w.run('media-transcode', item);
    await w.run('media-thumbnails', item);
    expect(existsSync(originalsDir(w, item.sha256))).toBe(true);
    const job = await w.run('media-publish', item);
    expect(job.result).toEqual({ outcome: 'ready', reason: null, derivatives: ['poster', 'proxy', 'strip', 'thumbnail'] });
    expect(await stateOf(w, 'I1')).toMatchObject({ state: 'ready', reason: null });
    expect(w.catalog.events.at(-1)).toMatchObject({ type: 'media-ready', itemId: 'I1', actor: 'dock-1' });
    expect(existsSync(originalsDir(w, item.sha256))).toBe(false);
  });

  it('an unplayable proxy makes the item unplayable; missing thumbnails only leave a reason', async () => {
    const a = await probedWorld();
    a.w.tools.probeAnswer = () => proxyInfo({ video: null });
    await a.w.run('media-transcode', a.item);
    await a.w.run('media-thumbnails', a.item);
    expect((await a.w.run('media-publish', a.item)).result).toMatchObject({ outcome: 'unplayable', reason: 'transcode: proxy has no H.264 video (found none)' });

    const b = await probedWorld();
    await b.w.run('media-transcode', b.item);
    b.w.tools.output = () => null;
    await b.w.run('media-thumbnails', b.item);
    expect(await (b.w.run('media-publish', b.item).then(() => stateOf(b.w, 'I1')))).toMatchObject({ state: 'ready', reason: 'thumbnails: no frame could be decoded for thumbnails' });
  });

  it('a stage that ended without reaching its handlers counts as failed', async () => {
    const { w, item } = await probedWorld();
    await w.run('media-thumbnails', item);
    expect((await w.run('media-publish', item)).result).toMatchObject({ outcome: 'failed', reason: 'transcode: did not finish' });
  });
});

describe('media final failure', () => {
  it('transcode and thumbnails record only their outcome (publish settles the item); probe and publish settle it and drop the local copy', async () => {
    const { w, item } = await probedWorld();
    await w.media.onFinalFailure('media-thumbnails', { itemId: 'I1', sha256: item.sha256 }, 'storage down', false);
    expect(await w.catalog.stageOutcomes('I1')).toContainEqual({ stage: 'thumbnails', outcome: 'failed', reason: 'storage down' });
    expect((await stateOf(w, 'I1')).state).toBe('pending');
    expect(existsSync(originalsDir(w, item.sha256))).toBe(true);
    await w.media.onFinalFailure('media-publish', { itemId: 'I1', sha256: item.sha256 }, 'catalog down', false);
    expect(await stateOf(w, 'I1')).toMatchObject({ state: 'failed', reason: 'publish: catalog down' });
    expect(existsSync(originalsDir(w, item.sha256))).toBe(false);
  });

  it('records nothing for a job that named no secured item', async () => {
    const w = mediaWorld();
    await w.media.onFinalFailure('media-probe', { itemId: 'nope', sha256: 'f'.repeat(64) }, 'x', true);
    expect(w.catalog.events).toEqual([]);
    expect(await w.catalog.stageOutcomes('nope')).toEqual([]);
  });
});
