import { open } from 'node:fs/promises';
import { PermanentError } from '../../domain/errors.ts';
import { type CapturedAtSource } from '../../domain/evidence.ts';
import { isHeic } from '../../domain/image-format.ts';
import type { MediaJobPayload } from '../../domain/jobs.ts';
import { betterCaptureTime, emptyInfo, exifCaptureTime, type MediaInfo } from '../../domain/media-info.ts';
import { planKind } from '../../domain/media-plan.ts';
import { zonedToUtc } from '../../domain/zoned-time.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import type { MediaDeps } from './ports.ts';
import type { StageKit } from './stage-kit.ts';

/**
 * Probes a secured item's stored original (ffprobe for video and audio, the image header and EXIF for
 * photos), records what it found, corrects the capture time when the media knows better than the file
 * system, and queues the item's flow. A file nothing can decode fails for good: `unplayable`.
 */
export function mediaProbeProcessor(deps: MediaDeps, kit: StageKit): Processor<'media-probe'> {
  const { config, clock } = deps;
  const { catalog, flows, tools, images, retag } = deps.media;
  const act = (reason: string) => ({ actor: config.dockHost, at: clock.now(), reason });

  const photoInfo = async (path: string): Promise<MediaInfo> => {
    // Neither sharp's libvips (HEIF with AV1 only) nor Debian's ffmpeg 5.1 (no HEIF still images) decodes
    // HEVC photos: say so, rather than the decoder's "corrupt header".
    if (isHeic(await firstBytes(path, 256))) throw new PermanentError('unsupported format (HEIC): no HEVC image decoder here; the original is secured unchanged', 'unplayable');
    const facts = await images.facts(path);
    const taken = exifCaptureTime(facts.exif, (wall) => zonedToUtc(wall, config.tagging.deviceTimeZone)?.at ?? null);
    return {
      ...emptyInfo,
      format: facts.format,
      image: { width: facts.width, height: facts.height, orientation: facts.orientation },
      capturedAt: taken?.toISOString() ?? null,
      capturedAtSource: taken ? 'exif' : null,
      gps: facts.exif.gps,
    };
  };

  return async (p: MediaJobPayload, ctx: JobContext) => {
    const item = await kit.item(p);
    const media = (await catalog.mediaOf([item.id])).get(item.id);
    if (media && media.state !== 'pending') return { outcome: 'already-settled', state: media.state };
    if (media?.plan) {
      // Probed before, and the run died before (or while) queueing the flow: only the rest is left.
      if (media.info?.capturedAtSource && media.info.capturedAtSource === item.capturedAtSource) await retag(item.id, act('capture time from the media'));
      await flows.derive(p);
      return { outcome: 'already-probed', plan: media.plan };
    }

    const path = await kit.work.original(item, ctx.signal);
    const info = item.kind === 'photo' ? await photoInfo(path) : await tools.probe(path, { timeoutMs: config.media.probeTimeoutMs, signal: ctx.signal });
    const plan = planKind(item.kind, info);
    const better = betterCaptureTime({ at: item.capturedAt, source: item.capturedAtSource }, info);
    const events = better
      ? [kit.event('capture-time-corrected', item, { from: item.capturedAt.toISOString(), fromSource: item.capturedAtSource, to: better.at.toISOString(), toSource: better.source })]
      : [];
    await catalog.recordProbe({ itemId: item.id, plan, info, at: clock.now(), capturedAt: better, events });
    // Officer and activity follow the capture time: tagging matches again.
    if (better) await retag(item.id, act('capture time from the media'));
    await flows.derive(p);
    return { outcome: 'probed', plan, durationSec: info.durationSec, capturedAt: (better?.at ?? item.capturedAt).toISOString(), capturedAtSource: (better?.source ?? item.capturedAtSource) as CapturedAtSource };
  };
}

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(count), 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
