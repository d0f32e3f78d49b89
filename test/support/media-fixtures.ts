import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

/**
 * Media fixtures made on the spot by ffmpeg and sharp (real encoders, small files): every kind of
 * recording the pipeline meets, including the broken ones.
 */
const run = promisify(execFile);

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args]);
}

const prepare = (path: string) => {
  mkdirSync(dirname(path), { recursive: true });
  return path;
};

/** H.264/AAC MP4 from test patterns, with a creation_time tag when given. */
export async function makeClip(path: string, o: { seconds: number; size?: string; audio?: boolean; creationTime?: string; codec?: 'libx264' | 'libx265' }): Promise<string> {
  const size = o.size ?? '1920x1080';
  const audio = o.audio ?? true;
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${o.seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${o.seconds}`] : []),
    '-c:v', o.codec ?? 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(o.codec === 'libx265' ? ['-x265-params', 'log-level=error', '-tag:v', 'hvc1'] : []),
    ...(audio ? ['-c:a', 'aac', '-shortest'] : []),
    ...(o.creationTime ? ['-metadata', `creation_time=${o.creationTime}`] : []),
    prepare(path),
  ]);
  return path;
}

/** An MP4 cut in half: its index (moov, written at the end) is gone, as when a recorder loses power. */
export async function makeTruncatedClip(path: string): Promise<string> {
  await makeClip(path, { seconds: 2, size: '640x360' });
  truncateSync(path, Math.floor(readFileSync(path).length / 2));
  return path;
}

export async function makeWav(path: string, seconds: number): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=16000:duration=${seconds}`, '-c:a', 'pcm_s16le', prepare(path)]);
  return path;
}

/**
 * An AMR-NB recording (the phone-call format) written frame by frame: Debian's ffmpeg decodes AMR but
 * has no encoder for it. 12.2 kbit/s frames of arbitrary bits decode as noise, 50 per second.
 */
export function makeAmr(path: string, seconds: number): string {
  const frames: Buffer[] = [Buffer.from('#!AMR\n')];
  for (let i = 0; i < seconds * 50; i++) frames.push(Buffer.from([0x3c]), randomBytes(31));
  writeFileSync(prepare(path), Buffer.concat(frames));
  return path;
}

/** A camera JPEG: 3000×2000 pixels stored, turned upright by EXIF orientation 6, with its time, offset and place. */
export async function makeExifJpeg(path: string, o: { dateTimeOriginal: string; offset: string }): Promise<string> {
  await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a6ea5' } })
    .withExif({
      IFD0: { Make: 'EvidockTest', Model: 'Fixture' },
      IFD2: { DateTimeOriginal: o.dateTimeOriginal, OffsetTimeOriginal: o.offset },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 12/1' },
    })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 80 })
    .toFile(prepare(path));
  return path;
}

export async function makePng(path: string): Promise<string> {
  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a53a3a' } }).png().toFile(prepare(path));
  return path;
}
