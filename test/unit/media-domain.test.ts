import { describe, expect, it } from 'vitest';
import { frameGrabRun, parseTimemark, pcmRun, videoProxyRun, audioProxyRun } from '../../src/domain/ffmpeg-runs.ts';
import { isMediaJob, jobId, queueFor } from '../../src/domain/jobs.ts';
import { betterCaptureTime, emptyInfo, exifCaptureTime, gpsDegrees, infoFromFfprobe, type MediaInfo, parseIso6709, parseRate } from '../../src/domain/media-info.ts';
import { derivativeFile, derivativeKey, planKind, posterTime, proxyDimensions, proxyProblem, runTimeoutMs, stripTimes } from '../../src/domain/media-plan.ts';
import { publishedState } from '../../src/domain/media-state.ts';
import { addSamples, renderWaveform } from '../../src/domain/waveform.ts';
import { zonedToUtc } from '../../src/domain/zoned-time.ts';

const ffprobeJson = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.480000', tags: { creation_time: '2024-05-06T07:08:09.000000Z', location: '+31.2304+121.4737+004.000/' } },
  streams: [
    { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001', side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] },
    { codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2 },
    { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
  ],
};

const video: MediaInfo = { ...emptyInfo, durationSec: 12.48, video: { codec: 'h264', width: 1920, height: 1080, fps: 29.97, rotation: 0 }, audio: { codec: 'aac', sampleRate: 48000, channels: 2 } };
const settings = { proxyHeight: 720, proxyCrf: 23, proxyPreset: 'veryfast', ffmpegThreads: 0 };
const shanghai = (w: Parameters<typeof zonedToUtc>[0]) => zonedToUtc(w, 'Asia/Shanghai')?.at ?? null;

describe('what the probe reads', () => {
  it('takes codecs, size, rate, rotation, duration, creation time and location from ffprobe, ignoring cover art', () => {
    expect(infoFromFfprobe(ffprobeJson)).toEqual({
      format: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSec: 12.48,
      video: { codec: 'h264', width: 1920, height: 1080, fps: 29.97, rotation: 270 },
      audio: { codec: 'aac', sampleRate: 48000, channels: 2 },
      image: null,
      capturedAt: '2024-05-06T07:08:09.000Z',
      capturedAtSource: 'container',
      gps: { lat: 31.2304, lon: 121.4737 },
    });
  });

  it('sees an audio file with cover art as sound only, and a 1970 clock as no capture time', () => {
    const info = infoFromFfprobe({
      format: { duration: '3.0', tags: { creation_time: '1970-01-01T00:00:00Z' } },
      streams: [{ codec_type: 'audio', codec_name: 'mp3' }, { codec_type: 'video', codec_name: 'png', disposition: { attached_pic: 1 } }],
    });
    expect(info.video).toBeNull();
    expect(info.capturedAt).toBeNull();
    expect(planKind('audio', info)).toBe('audio');
    expect(planKind('video', info)).toBe('audio');
  });

  it('parses rates, ISO 6709 locations and EXIF degrees', () => {
    expect(parseRate('25/1')).toBe(25);
    expect(parseRate('0/0')).toBeNull();
    expect(parseIso6709('-33.8688+151.2093/')).toEqual({ lat: -33.8688, lon: 151.2093 });
    expect(parseIso6709('nonsense')).toBeNull();
    expect(gpsDegrees([31, 14, 24], 'N')).toBeCloseTo(31.24);
    expect(gpsDegrees([121, 30, 0], 'W')).toBeCloseTo(-121.5);
  });

  it('reads an EXIF time with the offset the camera wrote, else as wall-clock time of the device zone', () => {
    const wall = { year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9 };
    expect(exifCaptureTime({ dateTimeOriginal: wall, offset: '+02:00', gps: null }, shanghai)?.toISOString()).toBe('2024-05-06T05:08:09.000Z');
    expect(exifCaptureTime({ dateTimeOriginal: wall, offset: null, gps: null }, shanghai)?.toISOString()).toBe('2024-05-05T23:08:09.000Z');
    expect(exifCaptureTime({ dateTimeOriginal: { ...wall, year: 1980 }, offset: null, gps: null }, shanghai)).toBeNull();
  });

  it('replaces a capture time only with a more specific one: EXIF over container over mtime', () => {
    const at = new Date('2024-01-01T00:00:00Z');
    const exif = { capturedAt: '2024-05-06T07:08:09.000Z', capturedAtSource: 'exif' as const };
    const container = { capturedAt: '2024-05-06T07:08:09.000Z', capturedAtSource: 'container' as const };
    expect(betterCaptureTime({ at, source: 'mtime' }, exif)).toEqual({ at: new Date(exif.capturedAt), source: 'exif' });
    expect(betterCaptureTime({ at, source: 'mtime' }, container)?.source).toBe('container');
    expect(betterCaptureTime({ at, source: 'container' }, container)).toBeNull();
    expect(betterCaptureTime({ at, source: 'exif' }, container)).toBeNull();
    expect(betterCaptureTime({ at, source: 'mtime' }, { capturedAt: null, capturedAtSource: null })).toBeNull();
  });
});

describe('what is made', () => {
  it('plans by what the file holds, and refuses what has nothing decodable', () => {
    expect(planKind('video', video)).toBe('video');
    expect(planKind('photo', { ...emptyInfo, image: { width: 4, height: 3, orientation: 1 } })).toBe('photo');
    expect(() => planKind('video', emptyInfo)).toThrow(/no video or audio stream/);
    expect(() => planKind('photo', emptyInfo)).toThrow(/no decodable image/);
  });

  it('keeps derivatives in their own folder under the item, never at an original key', () => {
    expect(derivativeKey('01ITEM', derivativeFile('video', 'proxy').name)).toBe('items/01ITEM/derived/proxy.mp4');
    expect(derivativeFile('audio', 'proxy')).toEqual({ name: 'proxy.m4a', contentType: 'audio/mp4' });
    expect(() => derivativeFile('photo', 'proxy')).toThrow();
  });

  it('sizes proxies to at most 720 lines on the short side, rotation applied, even, never enlarged', () => {
    expect(proxyDimensions({ width: 1920, height: 1080, rotation: 0 }, 720)).toEqual({ width: 1280, height: 720 });
    expect(proxyDimensions({ width: 1920, height: 1080, rotation: 90 }, 720)).toEqual({ width: 720, height: 1280 });
    expect(proxyDimensions({ width: 640, height: 480, rotation: 0 }, 720)).toEqual({ width: 640, height: 480 });
    expect(proxyDimensions({ width: 1440, height: 1081, rotation: 0 }, 720)).toEqual({ width: 958, height: 720 });
    expect(proxyDimensions({ width: 641, height: 361, rotation: 0 }, 720)).toEqual({ width: 640, height: 360 });
  });

  it('picks the poster a tenth in (at most 10 s) and strip frames across the clip', () => {
    expect(posterTime(60)).toBe(6);
    expect(posterTime(3600)).toBe(10);
    expect(posterTime(null)).toBe(0);
    expect(stripTimes(10, 5)).toEqual([1, 3, 5, 7, 9]);
    expect(stripTimes(null, 2)).toEqual([0, 0]);
  });

  it('gives a run time proportional to the media, with a floor', () => {
    expect(runTimeoutMs(600, { timeoutPerMediaSecond: 10, minTimeoutMs: 120000 })).toBe(6_000_000);
    expect(runTimeoutMs(null, { timeoutPerMediaSecond: 10, minTimeoutMs: 120000 })).toBe(120000);
  });

  it('builds one ffmpeg run for the faststart H.264/AAC proxy and the poster', () => {
    const run = videoProxyRun('/w/original.mp4', video, settings, { proxy: '/w/proxy.mp4', poster: '/w/poster.jpg' });
    const [proxy, poster] = run.outputs;
    expect(run.inputs).toEqual([{ path: '/w/original.mp4', options: [] }]);
    expect(proxy!.options.join(' ')).toContain('-vf scale=1280:720,setsar=1 -c:v libx264 -preset veryfast -crf 23 -profile:v high -pix_fmt yuv420p');
    expect(proxy!.options.join(' ')).toContain('-c:a aac -b:a 128k -ac 2 -ar 48000 -movflags +faststart');
    expect(poster!.options.join(' ')).toContain('-ss 1.248');
    expect(run.mediaSeconds).toBe(12.48);
    const silent = videoProxyRun('/w/o.mp4', { ...video, audio: null }, settings, { proxy: '/p', poster: '/q' });
    expect(silent.outputs[0]!.options).toContain('-an');
  });

  it('raises telephone sound to 16 kHz for the audio proxy and decodes mono samples for the waveform', () => {
    const amr: MediaInfo = { ...emptyInfo, durationSec: 3, audio: { codec: 'amr_nb', sampleRate: 8000, channels: 1 } };
    expect(audioProxyRun('/i', amr, '/o.m4a').outputs[0]!.options.join(' ')).toContain('-c:a aac -b:a 96k -ac 1 -ar 16000');
    expect(pcmRun('/i', amr, '/o.pcm').outputs[0]!.options.join(' ')).toContain('-ac 1 -ar 4000 -c:a pcm_s16le -f s16le');
  });

  it('grabs each frame with its own seek, staying before the end', () => {
    const run = frameGrabRun('/i', { ...video, durationSec: 4 }, [1, 10], 320, (i) => `/f${i}.jpg`);
    expect(run.inputs.map((x) => x.options)).toEqual([['-ss', '1.000'], ['-ss', '3.500']]);
    expect(run.outputs[1]!.options.slice(0, 4)).toEqual(['-map', '1:v:0', '-vf', 'scale=568:320,setsar=1']);
  });

  it('reads progress timemarks', () => {
    expect(parseTimemark('00:01:02.50')).toBe(62.5);
    expect(parseTimemark('-00:00:00.02')).toBe(0);
    expect(parseTimemark('N/A')).toBeNull();
  });
});

describe('checks before publishing', () => {
  const made = (over: Partial<MediaInfo>): MediaInfo => ({ ...video, ...over });
  it('accepts a proxy of the right codecs and length', () => {
    expect(proxyProblem(video, made({ durationSec: 12.5 }), 'video', 1)).toBeNull();
  });
  it('refuses a proxy that is too short, lost its sound or is not H.264', () => {
    expect(proxyProblem(video, made({ durationSec: 6 }), 'video', 1)).toMatch(/proxy lasts 6.00 s, the original 12.48 s/);
    expect(proxyProblem(video, made({ audio: null }), 'video', 1)).toMatch(/no AAC sound/);
    expect(proxyProblem(video, made({ video: { ...video.video!, codec: 'hevc' } }), 'video', 1)).toMatch(/no H.264 video/);
    expect(proxyProblem({ ...video, video: null }, made({ video: null, durationSec: 12.4 }), 'audio', 1)).toBeNull();
  });
});

describe('media state', () => {
  it('is ready when the proxy was made, naming missing thumbnails', () => {
    expect(publishedState([{ stage: 'transcode', outcome: 'done', reason: null }, { stage: 'thumbnails', outcome: 'done', reason: null }])).toEqual({ state: 'ready', reason: null });
    expect(publishedState([{ stage: 'transcode', outcome: 'done', reason: null }, { stage: 'thumbnails', outcome: 'failed', reason: 'timed out' }]))
      .toEqual({ state: 'ready', reason: 'thumbnails: timed out' });
  });
  it('is unplayable or failed as the proxy ended, and failed when a stage never reported', () => {
    expect(publishedState([{ stage: 'transcode', outcome: 'unplayable', reason: 'Invalid data' }, { stage: 'thumbnails', outcome: 'done', reason: null }]))
      .toEqual({ state: 'unplayable', reason: 'transcode: Invalid data' });
    expect(publishedState([{ stage: 'thumbnails', outcome: 'done', reason: null }])).toEqual({ state: 'failed', reason: 'transcode: did not finish' });
  });
});

describe('waveform', () => {
  it('keeps the loudest sample per column across chunks and draws silence as a line', () => {
    const peaks = new Float32Array(4);
    addSamples(peaks, Int16Array.from([0, 16384, 0, 0]), 0, 8);
    addSamples(peaks, Int16Array.from([-32768, 0, 0, 0]), 4, 8);
    expect(Array.from(peaks)).toEqual([0.5, 0, 1, 0]);
    const pixels = renderWaveform(peaks, 9);
    const bar = (x: number) => Array.from({ length: 9 }, (_, y) => pixels[(y * 4 + x) * 3]).filter((r) => r === 32).length;
    expect([bar(0), bar(1), bar(2), bar(3)]).toEqual([5, 1, 9, 1]);
  });
});

describe('media jobs', () => {
  it('run on the installation-wide media queues, one id per content and stage', () => {
    const p = { itemId: '01ITEM', sha256: 'ab'.repeat(32) };
    expect(isMediaJob('media-transcode')).toBe(true);
    expect(isMediaJob('secure-file')).toBe(false);
    expect(queueFor('media-probe', 'dock-pc-1', 'media')).toBe('media-probe');
    expect(queueFor('media-publish', 'dock-pc-1', 'site2')).toBe('site2-publish');
    expect(jobId('media-transcode', p)).toBe(`media-transcode-${p.sha256}`);
  });
});
