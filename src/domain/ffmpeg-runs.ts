import type { MediaInfo } from './media-info.ts';
import { posterTime, proxyDimensions } from './media-plan.ts';

/**
 * One ffmpeg run as plain data: inputs and outputs, each with its options. The media processors build
 * these and the ffmpeg adapter runs them, so what ffmpeg is asked to do is tested without running it.
 */
export interface FfmpegRun {
  inputs: Array<{ path: string; options: string[] }>;
  outputs: Array<{ path: string; options: string[] }>;
  /** Seconds of media the run goes through, for progress percentages; null when unknown. */
  mediaSeconds: number | null;
}

export interface ProxySettings {
  proxyHeight: number;
  proxyCrf: number;
  proxyPreset: string;
  ffmpegThreads: number;
}

const secs = (t: number) => t.toFixed(3);
const threads = (n: number) => (n > 0 ? ['-threads', String(n)] : []);

/** Mono stays mono, anything wider becomes stereo: what a browser plays everywhere. */
const audioChannels = (info: MediaInfo) => String(Math.min(2, Math.max(1, info.audio?.channels ?? 2)));
/** AMR and other telephone rates are raised to 16 kHz, which every browser's AAC decoder takes. */
const audioRate = (info: MediaInfo) => String(Math.max(16000, Math.min(48000, info.audio?.sampleRate ?? 48000)));

const aacOptions = (info: MediaInfo, bitrate: string) => ['-c:a', 'aac', '-b:a', bitrate, '-ac', audioChannels(info), '-ar', audioRate(info)];

/**
 * The browser proxy (H.264 high profile, yuv420p, AAC, `+faststart` so playback starts before the
 * whole file is fetched) and the poster frame, from one decode of the original.
 */
export function videoProxyRun(input: string, info: MediaInfo, s: ProxySettings, out: { proxy: string; poster: string }): FfmpegRun {
  if (!info.video) throw new Error('videoProxyRun needs a video stream');
  const { width, height } = proxyDimensions(info.video, s.proxyHeight);
  const scale = `scale=${width}:${height},setsar=1`;
  return {
    inputs: [{ path: input, options: [] }],
    outputs: [
      {
        path: out.proxy,
        options: [
          '-map', '0:v:0', '-map', '0:a:0?', '-vf', scale,
          '-c:v', 'libx264', '-preset', s.proxyPreset, '-crf', String(s.proxyCrf), '-profile:v', 'high', '-pix_fmt', 'yuv420p', ...threads(s.ffmpegThreads),
          ...(info.audio ? aacOptions(info, '128k') : ['-an']),
          '-movflags', '+faststart', '-f', 'mp4',
        ],
      },
      { path: out.poster, options: ['-map', '0:v:0', '-ss', secs(posterTime(info.durationSec)), '-vf', scale, '-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2'] },
    ],
    mediaSeconds: info.durationSec,
  };
}

/** AAC in MP4 (`.m4a`): plays in every browser, from phone-call AMR to studio WAV. */
export function audioProxyRun(input: string, info: MediaInfo, out: string): FfmpegRun {
  return {
    inputs: [{ path: input, options: [] }],
    outputs: [{ path: out, options: ['-map', '0:a:0', '-vn', ...aacOptions(info, '96k'), '-movflags', '+faststart', '-f', 'mp4'] }],
    mediaSeconds: info.durationSec,
  };
}

/**
 * Single frames at the given times, each input seeking to its time on its own (a keyframe seek, then
 * decoding up to the time), so a long clip is not decoded whole for a dozen frames.
 */
export function frameGrabRun(input: string, info: MediaInfo, times: number[], maxShort: number, outPath: (i: number) => string): FfmpegRun {
  if (!info.video) throw new Error('frameGrabRun needs a video stream');
  const { width, height } = proxyDimensions(info.video, maxShort);
  // A seek at or past the end finds no frame: stay a little before it.
  const last = Math.max(0, (info.durationSec ?? 0) - 0.5);
  return {
    inputs: times.map((t) => ({ path: input, options: ['-ss', secs(Math.min(t, last))] })),
    outputs: times.map((_, i) => ({
      path: outPath(i),
      options: ['-map', `${i}:v:0`, '-vf', `scale=${width}:${height},setsar=1`, '-frames:v', '1', '-q:v', '2', '-update', '1', '-f', 'image2'],
    })),
    mediaSeconds: null,
  };
}

/** Sample rate of the decoded sound a waveform is drawn from: far more than its columns need. */
export const WAVEFORM_RATE = 4000;

/** Raw 16-bit mono samples of the first audio stream, for the waveform. */
export function pcmRun(input: string, info: MediaInfo, out: string): FfmpegRun {
  return {
    inputs: [{ path: input, options: [] }],
    outputs: [{ path: out, options: ['-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(WAVEFORM_RATE), '-c:a', 'pcm_s16le', '-f', 's16le'] }],
    mediaSeconds: info.durationSec,
  };
}

/**
 * The whole command line of a run. ffmpeg must not wait on a terminal (`-nostdin`) and overwrites what an
 * earlier attempt left (`-y`); progress comes as `key=value` lines on stdout (`-progress pipe:1`), so
 * stderr keeps only ffmpeg's messages (`-nostats`), whose last lines are the reason of a failure.
 */
export function ffmpegArgs(run: FfmpegRun): string[] {
  return [
    '-nostdin', '-hide_banner', '-nostats', '-progress', 'pipe:1', '-y',
    ...run.inputs.flatMap((input) => [...input.options, '-i', input.path]),
    ...run.outputs.flatMap((output) => [...output.options, output.path]),
  ];
}

/** The seconds of media done, from one line of `-progress` output (`out_time=00:00:12.345678`); null for other lines. */
export function progressSeconds(line: string): number | null {
  const m = /^out_time=(.*)$/.exec(line.trim());
  return m ? parseTimemark(m[1]) : null;
}

/** ffmpeg's progress timemark ("00:01:02.50") in seconds; null when it is not one. */
export function parseTimemark(mark: unknown): number | null {
  if (typeof mark !== 'string') return null;
  const m = /^(-)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(mark.trim());
  if (!m) return null;
  const value = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? 0 : value;
}
