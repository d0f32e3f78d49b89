import { basename } from 'node:path';
import { PermanentError } from '../../domain/errors.ts';
import { ffmpegArgs, type FfmpegRun, progressSeconds } from '../../domain/ffmpeg-runs.ts';
import { infoFromFfprobe, type MediaInfo } from '../../domain/media-info.ts';
import type { MediaProbe } from '../../ports/media-probe.ts';
import type { MediaTools, RunControl } from '../../ports/media-tools.ts';
import { type ChildEnd, runChild } from './child.ts';

/** ffmpeg and ffprobe, the only place that starts them (through ./child.ts). */
const PROGRESS_EVERY_MS = 1000;
/** ffprobe's description of a file: far less than this, even with thousands of streams or chapters. */
const PROBE_OUTPUT_MAX = 32 << 20;

/** Failures no retry can fix are the input's; these are the machine's, and pass. */
const RESOURCE_TROUBLE = /No space left on device|Cannot allocate memory|Resource temporarily unavailable|Too many open files/i;

/** The last lines ffmpeg wrote, with work-file paths replaced by what they are. */
function reasonFrom(tool: string, stderr: string, paths: string[]): string {
  let text = stderr;
  for (const p of paths) text = text.split(p).join(basename(p).startsWith('original') ? 'original' : basename(p));
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/, '').trim()) // "[mov,mp4,… @ 0x55a6…]": which demuxer, at which address
    .filter((l) => l && !/^(frame|size)=/.test(l));
  return lines.slice(-3).join(' / ').slice(0, 600) || `${tool} failed without a message`;
}

/**
 * Why a run that did not end well ended: a timeout, an abort, a kill by someone else or a full disk pass
 * (transient: retried); anything else is the input's (permanent), with the tool's own reason.
 */
function failure(tool: string, end: ChildEnd, paths: string[], control: Pick<RunControl, 'timeoutMs' | 'signal'>): Error {
  const reason = reasonFrom(tool, end.stderrTail, paths);
  switch (end.killed) {
    case 'abort':
      return control.signal?.reason instanceof Error ? control.signal.reason : new Error(`${tool} aborted`);
    case 'timeout':
      return new Error(`${tool} timed out after ${control.timeoutMs} ms`);
    case 'overflow':
      return new PermanentError(`${tool} described the file in more than ${PROBE_OUTPUT_MAX} bytes`, 'unplayable');
    case 'signal':
      return new Error(`${tool} was killed: ${reason}`);
  }
  if (RESOURCE_TROUBLE.test(end.stderrTail)) return new Error(`${tool}: ${reason}`);
  return new PermanentError(reason, 'unplayable');
}

export class FfmpegTools implements MediaTools, MediaProbe {
  constructor(private readonly probeTimeoutMs = 30000) {}

  async probe(path: string, control: Omit<RunControl, 'onProgress'>): Promise<MediaInfo> {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path];
    const end = await runChild('ffprobe', args, { ...control, keepStdout: PROBE_OUTPUT_MAX });
    if (end.code !== 0 || end.killed) throw failure('ffprobe', end, [path], control);
    let described: unknown;
    try {
      described = JSON.parse(end.stdout);
    } catch {
      throw new PermanentError('ffprobe described it in a way that is not JSON', 'unplayable');
    }
    return infoFromFfprobe(described);
  }

  /** The container's capture time (the secure stage's clue, read from the device while it uploads). */
  async captureTime(path: string, signal?: AbortSignal): Promise<Date | null> {
    const info = await this.probe(path, { timeoutMs: this.probeTimeoutMs, signal });
    return info.capturedAt ? new Date(info.capturedAt) : null;
  }

  async run(spec: FfmpegRun, control: RunControl): Promise<void> {
    let lastReport = 0;
    const onLine = (line: string) => {
      const seconds = progressSeconds(line);
      const now = Date.now();
      if (seconds === null || !control.onProgress || now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      const percent = spec.mediaSeconds ? Math.min(100, Math.round((seconds / spec.mediaSeconds) * 1000) / 10) : null;
      control.onProgress({ seconds, percent });
    };
    const end = await runChild('ffmpeg', ffmpegArgs(spec), { timeoutMs: control.timeoutMs, signal: control.signal, onLine });
    if (end.code !== 0 || end.killed) throw failure('ffmpeg', end, [...spec.inputs, ...spec.outputs].map((x) => x.path), control);
  }
}
