import type { CapturedAtSource } from './evidence.ts';

/**
 * What the probe learnt about a recording, kept on the item as JSON (times as ISO strings).
 * Video and audio come from ffprobe, photos from the image's own header and EXIF.
 */
export interface MediaInfo {
  /** Container or image format, as the tool names it (`mov,mp4,m4a,3gp,3g2,mj2`, `jpeg`). */
  format: string | null;
  durationSec: number | null;
  video: { codec: string; width: number; height: number; fps: number | null; rotation: number } | null;
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
  /** Photos: size as displayed (orientation applied) and the EXIF orientation tag. */
  image: { width: number; height: number; orientation: number } | null;
  capturedAt: string | null;
  capturedAtSource: 'container' | 'exif' | null;
  gps: { lat: number; lon: number } | null;
}

export const emptyInfo: MediaInfo = {
  format: null, durationSec: null, video: null, audio: null, image: null, capturedAt: null, capturedAtSource: null, gps: null,
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** "30000/1001" → 29.97; "0/0" → null. */
export function parseRate(rate: unknown): number | null {
  if (typeof rate !== 'string') return null;
  const [a, b] = rate.split('/').map(Number);
  if (!a || !Number.isFinite(a)) return null;
  const value = b === undefined ? a : b ? a / b : NaN;
  return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) / 1000 : null;
}

/** Recorders without a set clock write 1970 or 1904 epochs: not a capture time. */
export function plausibleTime(raw: unknown): Date | null {
  const at = typeof raw === 'string' ? new Date(raw) : null;
  return at && !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 2000 ? at : null;
}

/** ISO 6709 ("+31.2304+121.4737+004.000/"), as QuickTime and Android write a clip's location. */
export function parseIso6709(text: unknown): { lat: number; lon: number } | null {
  if (typeof text !== 'string') return null;
  const m = /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)/.exec(text.trim());
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

/** Display rotation in degrees (0, 90, 180, 270) from the display matrix side data or the old `rotate` tag. */
function rotationOf(stream: Json): number {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list.map(obj) : [];
  const raw = sideData.map((d) => num(d.rotation)).find((r) => r !== null) ?? num(obj(stream.tags).rotate) ?? 0;
  return (((Math.round(raw / 90) * 90) % 360) + 360) % 360;
}

/** The facts of `ffprobe -print_format json -show_format -show_streams` output that the pipeline uses. */
export function infoFromFfprobe(json: unknown): MediaInfo {
  const root = obj(json);
  const format = obj(root.format);
  const streams = (Array.isArray(root.streams) ? root.streams : []).map(obj);
  // Cover art in audio files is a video stream flagged as an attached picture: not video.
  const v = streams.find((s) => s.codec_type === 'video' && obj(s.disposition).attached_pic !== 1);
  const a = streams.find((s) => s.codec_type === 'audio');
  const durations = [num(format.duration), ...streams.map((s) => num(s.duration))].filter((d): d is number => d !== null && d > 0);
  const tagSets = [obj(format.tags), ...streams.map((s) => obj(s.tags))];
  const created = tagSets.map((t) => plausibleTime(t['com.apple.quicktime.creationdate']) ?? plausibleTime(t.creation_time)).find(Boolean) ?? null;
  const gps = tagSets.map((t) => parseIso6709(t['com.apple.quicktime.location.ISO6709'] ?? t.location)).find(Boolean) ?? null;
  return {
    format: typeof format.format_name === 'string' ? format.format_name : null,
    durationSec: num(format.duration) ?? (durations.length > 0 ? Math.max(...durations) : null),
    video: v
      ? { codec: String(v.codec_name ?? 'unknown'), width: num(v.width) ?? 0, height: num(v.height) ?? 0, fps: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate), rotation: rotationOf(v) }
      : null,
    audio: a ? { codec: String(a.codec_name ?? 'unknown'), sampleRate: num(a.sample_rate), channels: num(a.channels) } : null,
    image: null,
    capturedAt: created?.toISOString() ?? null,
    capturedAtSource: created ? 'container' : null,
    gps,
  };
}

/** The EXIF facts a photo probe reads (times as written: wall-clock parts, offset if the camera wrote one). */
export interface ExifFacts {
  dateTimeOriginal: { year: number; month: number; day: number; hour: number; minute: number; second: number } | null;
  /** OffsetTimeOriginal, "+08:00". */
  offset: string | null;
  /** Degrees, signed (south and west negative). */
  gps: { lat: number; lon: number } | null;
}

/** Degrees from EXIF's [degrees, minutes, seconds] and its N/S/E/W reference. */
export function gpsDegrees(dms: unknown, ref: unknown): number | null {
  if (!Array.isArray(dms) || dms.length === 0) return null;
  const [d = 0, m = 0, s = 0] = dms.map(Number);
  const value = d + m / 60 + s / 3600;
  if (!Number.isFinite(value)) return null;
  return ref === 'S' || ref === 'W' ? -value : value;
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * The capture instant an EXIF DateTimeOriginal names: with the offset the camera wrote, or read as
 * wall-clock time of the device's zone (`toUtc`, from the zone rules) when it wrote none.
 */
export function exifCaptureTime(facts: ExifFacts, toUtc: (wall: NonNullable<ExifFacts['dateTimeOriginal']>) => Date | null): Date | null {
  const wall = facts.dateTimeOriginal;
  if (!wall || wall.year < 2000) return null;
  const m = facts.offset ? OFFSET.exec(facts.offset.trim()) : null;
  if (!m) return toUtc(wall);
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - minutes * 60_000);
}

const rank: Record<CapturedAtSource, number> = { mtime: 0, container: 1, exif: 2 };

/**
 * The capture time to keep: what the probe found replaces what the item has when its source is more
 * specific (the camera's EXIF over a container tag over the file system's mtime). Null: keep the item's.
 */
export function betterCaptureTime(
  current: { at: Date; source: CapturedAtSource },
  found: Pick<MediaInfo, 'capturedAt' | 'capturedAtSource'>,
): { at: Date; source: CapturedAtSource } | null {
  if (!found.capturedAt || !found.capturedAtSource) return null;
  if (rank[found.capturedAtSource] <= rank[current.source]) return null;
  return { at: new Date(found.capturedAt), source: found.capturedAtSource };
}
