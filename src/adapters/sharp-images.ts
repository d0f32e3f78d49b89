import exifReader from 'exif-reader';
import sharp, { type OutputInfo } from 'sharp';
import { PermanentError } from '../domain/errors.ts';
import { type ExifFacts, gpsDegrees } from '../domain/media-info.ts';
import type { ImageFacts, Images, MadeImage, ResizeSpec } from '../ports/images.ts';

/** Decode failures are the file's (corrupt, truncated, a format this libvips lacks): permanent. */
async function decoding<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const message = (error as Error).message;
    if (/ENOSPC|ENOMEM|EMFILE|EAGAIN/.test(message)) throw error;
    throw new PermanentError(`image decoder: ${message}`, 'unplayable');
  }
}

const wall = (d: unknown) =>
  d instanceof Date && !Number.isNaN(d.getTime())
    ? { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
    : null;

/** exif-reader gives EXIF times as if they were UTC: they are the camera's wall clock, read back as such here. */
function exifFacts(raw: Buffer | undefined): ExifFacts {
  if (!raw) return { dateTimeOriginal: null, offset: null, gps: null };
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(raw);
  } catch {
    // A damaged EXIF block loses its facts, not the photo.
    return { dateTimeOriginal: null, offset: null, gps: null };
  }
  const photo = (tags.Photo ?? {}) as Record<string, unknown>;
  const gpsInfo = (tags.GPSInfo ?? {}) as Record<string, unknown>;
  const lat = gpsDegrees(gpsInfo.GPSLatitude, gpsInfo.GPSLatitudeRef);
  const lon = gpsDegrees(gpsInfo.GPSLongitude, gpsInfo.GPSLongitudeRef);
  return {
    dateTimeOriginal: wall(photo.DateTimeOriginal) ?? wall(photo.DateTimeDigitized),
    offset: typeof photo.OffsetTimeOriginal === 'string' ? photo.OffsetTimeOriginal : null,
    gps: lat !== null && lon !== null ? { lat, lon } : null,
  };
}

const made = (info: OutputInfo): MadeImage => ({ width: info.width, height: info.height, size: info.size });

/** sharp (libvips): photo facts, display images, thumbnails, strips and waveforms. Runs on libuv's thread pool. */
export class SharpImages implements Images {
  facts(path: string): Promise<ImageFacts> {
    return decoding(async () => {
      const m = await sharp(path).metadata();
      if (!m.width || !m.height) throw new Error('no image size');
      const turned = (m.orientation ?? 1) >= 5;
      return {
        format: m.format ?? 'unknown',
        width: turned ? m.height : m.width,
        height: turned ? m.width : m.height,
        orientation: m.orientation ?? 1,
        exif: exifFacts(m.exif),
      };
    });
  }

  resize(input: string, spec: ResizeSpec, output: string): Promise<MadeImage> {
    return decoding(async () => {
      const image = sharp(input).rotate().resize({ width: spec.maxWidth, height: spec.maxHeight, fit: 'inside', withoutEnlargement: true });
      const encoded = spec.format === 'jpeg' ? image.jpeg({ quality: spec.quality }) : image.webp({ quality: spec.quality });
      return made(await encoded.toFile(output));
    });
  }

  strip(frames: string[], frameWidth: number, output: string): Promise<MadeImage> {
    return decoding(async () => {
      const tiles = await Promise.all(frames.map((f) => sharp(f).resize({ width: frameWidth }).toBuffer({ resolveWithObject: true })));
      const height = Math.max(...tiles.map((t) => t.info.height));
      const canvas = sharp({ create: { width: frameWidth * tiles.length, height, channels: 3, background: '#000' } });
      const composed = canvas.composite(tiles.map((t, i) => ({ input: t.data, left: i * frameWidth, top: 0 })));
      return made(await composed.webp({ quality: 70 }).toFile(output));
    });
  }

  async encodeRgb(pixels: Uint8Array, width: number, height: number, output: string): Promise<MadeImage> {
    const info = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 3 } })
      .webp({ lossless: true })
      .toFile(output);
    return made(info);
  }
}
