import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError } from '../../domain/errors.ts';
import { frameGrabRun, pcmRun } from '../../domain/ffmpeg-runs.ts';
import { posterTime, stripTimes } from '../../domain/media-plan.ts';
import { addSamples, renderWaveform, WAVEFORM_HEIGHT, WAVEFORM_WIDTH } from '../../domain/waveform.ts';
import type { MadeImage } from '../../ports/images.ts';
import type { Processor } from '../../ports/jobs.ts';
import type { MediaDeps } from './ports.ts';
import type { Made, Making, StageKit } from './stage-kit.ts';

const picture = (role: Made['role'], path: string, image: MadeImage): Made => ({ role, path, facts: { width: image.width, height: image.height, durationSec: null } });

/**
 * The pictures an archivist browses by: for video a thumbnail (the poster's moment) and a strip of
 * frames across the clip, for a photo a thumbnail, for sound a waveform. ffmpeg grabs frames and
 * decodes sound; sharp resizes and encodes (WebP).
 */
export function mediaThumbnailsProcessor(deps: MediaDeps, kit: StageKit): Processor<'media-thumbnails'> {
  const s = deps.config.media;
  const { tools, images } = deps.media;
  const thumbnailBox = { maxWidth: s.thumbnailWidth, maxHeight: s.thumbnailWidth, format: 'webp' as const, quality: 75 };

  const video = async ({ info, original, dir, control }: Making): Promise<Made[]> => {
    const times = [posterTime(info.durationSec), ...stripTimes(info.durationSec, s.stripFrames)];
    const frame = (i: number) => join(dir, `frame-${i}.jpg`);
    await tools.run(frameGrabRun(original, info, times, s.thumbnailWidth, frame), control);
    const frames: string[] = [];
    for (let i = 0; i < times.length; i++) if (await kit.exists(frame(i))) frames.push(frame(i));
    if (frames.length === 0) throw new PermanentError('no frame could be decoded for thumbnails', 'unplayable');
    const thumbnail = join(dir, 'thumbnail.webp');
    const strip = join(dir, 'strip.webp');
    return [
      picture('thumbnail', thumbnail, await images.resize(frames[0]!, thumbnailBox, thumbnail)),
      picture('strip', strip, await images.strip(frames.length > 1 ? frames.slice(1) : frames, s.stripFrameWidth, strip)),
    ];
  };

  const waveform = async ({ info, original, dir, control }: Making): Promise<Made[]> => {
    const pcm = join(dir, 'sound.pcm');
    await tools.run(pcmRun(original, info, pcm), control);
    const total = Math.floor((await stat(pcm)).size / 2);
    if (total === 0) throw new PermanentError('no sound could be decoded for the waveform', 'unplayable');
    const peaks = new Float32Array(WAVEFORM_WIDTH);
    let start = 0;
    let carry: Buffer = Buffer.alloc(0);
    // Streamed: an hour-long recording is never held in memory whole.
    for await (const chunk of createReadStream(pcm, { highWaterMark: 1 << 16, signal: control.signal })) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const whole = bytes.length - (bytes.length % 2);
      const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + whole));
      addSamples(peaks, samples, start, total);
      start += samples.length;
      carry = bytes.subarray(whole);
    }
    const out = join(dir, 'waveform.webp');
    return [picture('waveform', out, await images.encodeRgb(renderWaveform(peaks, WAVEFORM_HEIGHT), WAVEFORM_WIDTH, WAVEFORM_HEIGHT, out))];
  };

  const photo = async ({ original, dir }: Making): Promise<Made[]> => {
    const out = join(dir, 'thumbnail.webp');
    return [picture('thumbnail', out, await images.resize(original, thumbnailBox, out))];
  };

  return kit.makingStage('media-thumbnails', (m) => (m.plan === 'video' ? video(m) : m.plan === 'audio' ? waveform(m) : photo(m)));
}
