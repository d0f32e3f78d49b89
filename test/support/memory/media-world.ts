import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.ts';
import { MemoryJobQueues } from '../../../src/adapters/memory/memory-jobs.ts';
import { MemoryMediaCatalog } from '../../../src/adapters/memory/memory-media-catalog.ts';
import { MemoryMediaFlows } from '../../../src/adapters/memory/memory-media-flows.ts';
import { MemoryObjectStore } from '../../../src/adapters/memory/memory-object-store.ts';
import type { MediaDeps } from '../../../src/app/media/ports.ts';
import { mediaProcessors } from '../../../src/app/media/processors.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { MediaKind } from '../../../src/config/schema.ts';
import { type EvidenceItem, itemKeys } from '../../../src/domain/evidence.ts';
import { type JobName, mediaJobNames, type MediaJobPayload } from '../../../src/domain/jobs.ts';
import type { MediaInfo } from '../../../src/domain/media-info.ts';
import { createLogger } from '../../../src/log.ts';
import type { ProcessorTable } from '../../../src/ports/jobs.ts';
import type { Act } from '../../../src/ports/registry.ts';
import { FakeImages, FakeMediaTools } from './fake-media-tools.ts';

export const videoInfo = (over: Partial<MediaInfo> = {}): MediaInfo => ({
  format: 'mov,mp4,m4a,3gp,3g2,mj2', durationSec: 12, video: { codec: 'hevc', width: 1920, height: 1080, fps: 30, rotation: 0 },
  audio: { codec: 'pcm_s16le', sampleRate: 48000, channels: 1 }, image: null, capturedAt: '2026-04-30T09:15:00.000Z', capturedAtSource: 'container', gps: null, ...over,
});
/** What a good proxy of `videoInfo` probes as. */
export const proxyInfo = (over: Partial<MediaInfo> = {}): MediaInfo => videoInfo({ video: { codec: 'h264', width: 1280, height: 720, fps: 30, rotation: 0 }, audio: { codec: 'aac', sampleRate: 48000, channels: 1 }, ...over });

/**
 * The media pipeline on memory adapters: a bucket holding each item's original, the media tables, the
 * queues (with the media processors and their final-failure handler), ffmpeg and sharp fakes, a ManualClock.
 */
export function mediaWorld(options: { attempts?: number } = {}) {
  const clock = new ManualClock('2026-05-01T08:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'evidock-media-'));
  const config = loadConfig({ env: {}, cwd: dataDir, overrides: { dockHost: 'dock-1', dataDir } });
  const store = new MemoryObjectStore(clock);
  const items = new Map<string, EvidenceItem>();
  const catalog = new MemoryMediaCatalog(items);
  const flows = new MemoryMediaFlows();
  const tools = new FakeMediaTools(() => videoInfo());
  const images = new FakeImages();
  const retagged: Array<{ itemId: string; act: Act }> = [];
  const deps: MediaDeps = {
    config, clock, store, log: createLogger('silent'),
    catalog: { findItemBySha256: async (sha256) => [...items.values()].find((i) => i.sha256 === sha256) ?? null },
    media: { catalog, flows, tools, images, retag: async (itemId, act) => void retagged.push({ itemId, act }) },
  };
  const media = mediaProcessors(deps);
  const queues = new MemoryJobQueues({ dockHost: 'dock-1', clock, attempts: options.attempts ?? 3, backoffMs: 1000 });
  const notMedia = async () => {
    throw new Error('not a media job: this world runs media jobs only');
  };
  const table = { 'scan-device': notMedia, 'secure-file': notMedia, 'wipe-device': notMedia, 'check-deadlines': notMedia, 'deliver-alert': notMedia, ...media.processors } as ProcessorTable;
  const workers = queues.start(table, (name: JobName, p, reason, permanent) => media.onFinalFailure(name as (typeof mediaJobNames)[number], p as MediaJobPayload, reason, permanent), mediaJobNames);

  /** Secures an item: its original in the bucket, its row in the items table. */
  async function secured(id: string, kind: MediaKind = 'video', over: Partial<EvidenceItem> = {}, bytes: Buffer = Buffer.from(`original bytes of ${id}`)): Promise<EvidenceItem> {
    const keys = itemKeys(id, kind === 'photo' ? 'DCIM/IMG.JPG' : kind === 'audio' ? 'REC/A.WAV' : 'DCIM/V.MP4');
    const stored = await store.put(keys.original, bytes);
    const item: EvidenceItem = {
      id, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, kind, deviceSerial: 'BWC-1', originalPath: 'DCIM/V.MP4',
      officerId: null, caseId: null, category: null, phase: null, capturedAt: new Date('2026-04-30T09:14:00Z'), capturedAtSource: 'mtime',
      securedAt: clock.now(), status: 'secured', sessionId: 'S1', objects: { original: keys.original, originalVersion: stored.versionId, manifest: keys.manifest }, ...over,
    };
    items.set(id, item);
    return item;
  }

  /** Runs one media job to its end through the queue (retries included), as a worker would. */
  async function run(name: (typeof mediaJobNames)[number], item: Pick<EvidenceItem, 'id' | 'sha256'>) {
    await queues.add(name, { itemId: item.id, sha256: item.sha256 });
    await workers.drain();
    return queues.list(name).find((j) => j.payload && (j.payload as MediaJobPayload).itemId === item.id)!;
  }

  const ctx = () => ({ signal: new AbortController().signal, attempt: 1, progress: async () => undefined });
  return { clock, config, store, items, catalog, flows, tools, images, retagged, deps, media, queues, workers, secured, run, ctx, dataDir };
}

export type MediaWorld = ReturnType<typeof mediaWorld>;
