import type { MediaKind } from '../config/schema.ts';
import { PermanentError } from './errors.ts';
import type { MediaInfo } from './media-info.ts';

/**
 * What the media pipeline makes for an item, decided from what the probe found in it (not only its
 * extension): a `.mp4` holding only sound gets an audio proxy and a waveform.
 */
export type PlanKind = 'video' | 'photo' | 'audio';

/** Every derivative, by role. Each stage of the flow makes a fixed set of them. */
export type DerivativeRole = 'proxy' | 'poster' | 'thumbnail' | 'strip' | 'display' | 'waveform';

export function planKind(kind: MediaKind, info: MediaInfo): PlanKind {
  if (kind === 'photo') {
    if (info.image) return 'photo';
    throw new PermanentError('no decodable image', 'unplayable');
  }
  if (kind === 'video' && info.video) return 'video';
  if (info.audio) return 'audio';
  throw new PermanentError(kind === 'video' ? 'no video or audio stream found' : 'no audio stream found', 'unplayable');
}

/** Roles made by the two parallel stages of an item's flow. */
export const stageRoles: Record<PlanKind, { transcode: DerivativeRole[]; thumbnails: DerivativeRole[] }> = {
  video: { transcode: ['proxy', 'poster'], thumbnails: ['thumbnail', 'strip'] },
  photo: { transcode: ['display'], thumbnails: ['thumbnail'] },
  audio: { transcode: ['proxy'], thumbnails: ['waveform'] },
};

const files: Record<PlanKind, Partial<Record<DerivativeRole, { name: string; contentType: string }>>> = {
  video: {
    proxy: { name: 'proxy.mp4', contentType: 'video/mp4' },
    poster: { name: 'poster.jpg', contentType: 'image/jpeg' },
    thumbnail: { name: 'thumbnail.webp', contentType: 'image/webp' },
    strip: { name: 'strip.webp', contentType: 'image/webp' },
  },
  photo: {
    display: { name: 'display.jpg', contentType: 'image/jpeg' },
    thumbnail: { name: 'thumbnail.webp', contentType: 'image/webp' },
  },
  audio: {
    proxy: { name: 'proxy.m4a', contentType: 'audio/mp4' },
    waveform: { name: 'waveform.webp', contentType: 'image/webp' },
  },
};

/** File name and content type of a derivative. */
export function derivativeFile(plan: PlanKind, role: DerivativeRole): { name: string; contentType: string } {
  const file = files[plan][role];
  if (!file) throw new Error(`a ${plan} has no ${role}`);
  return file;
}

/** Derivatives live beside the original, under their own folder: a derivative key is never an original's. */
export function derivativeKey(itemId: string, name: string): string {
  return `items/${itemId}/derived/${name}`;
}

// Rounded down (never past the source), with room for floating-point error in the scale.
const even = (n: number) => Math.max(2, Math.floor((n + 1e-6) / 2) * 2);

/**
 * Size of a proxy or frame as displayed (rotation applied), its short side at most `maxShort` lines,
 * never enlarged, both sides even (H.264 with 4:2:0 chroma needs that).
 */
export function proxyDimensions(video: { width: number; height: number; rotation: number }, maxShort: number): { width: number; height: number } {
  const turned = video.rotation === 90 || video.rotation === 270;
  const width = turned ? video.height : video.width;
  const height = turned ? video.width : video.height;
  const scale = Math.min(1, maxShort / Math.min(width, height));
  return { width: even(width * scale), height: even(height * scale) };
}

/** The poster frame: a tenth into the clip (past a recorder's first dark frames), at most 10 s in. */
export function posterTime(durationSec: number | null): number {
  if (!durationSec || durationSec <= 0) return 0;
  return Math.round(Math.min(durationSec * 0.1, 10) * 1000) / 1000;
}

/** Times of the scrubbing strip's frames: the middle of `count` equal parts of the clip. */
export function stripTimes(durationSec: number | null, count: number): number[] {
  const d = durationSec && durationSec > 0 ? durationSec : 0;
  return Array.from({ length: count }, (_, i) => Math.round(((i + 0.5) * d * 1000) / count) / 1000);
}

/** How long one ffmpeg run over this media may take before it is killed (and the job retried). */
export function runTimeoutMs(durationSec: number | null, settings: { timeoutPerMediaSecond: number; minTimeoutMs: number }): number {
  return Math.max(settings.minTimeoutMs, Math.ceil((durationSec ?? 0) * settings.timeoutPerMediaSecond * 1000));
}

/**
 * Why a made audio or video proxy must not be published, or null when it is fit: the right codecs,
 * sound when the original has sound, and a duration within `toleranceSec` of the original's.
 */
export function proxyProblem(original: MediaInfo, made: MediaInfo, plan: 'video' | 'audio', toleranceSec: number): string | null {
  if (plan === 'video' && made.video?.codec !== 'h264') return `proxy has no H.264 video (found ${made.video?.codec ?? 'none'})`;
  if (original.audio && made.audio?.codec !== 'aac') return `proxy has no AAC sound (found ${made.audio?.codec ?? 'none'})`;
  if (original.durationSec !== null) {
    if (made.durationSec === null) return 'proxy has no duration';
    const diff = Math.abs(made.durationSec - original.durationSec);
    if (diff > toleranceSec) {
      return `proxy lasts ${made.durationSec.toFixed(2)} s, the original ${original.durationSec.toFixed(2)} s: the recording is damaged or truncated where ffmpeg stopped decoding`;
    }
  }
  return null;
}
