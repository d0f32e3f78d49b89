import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { PermanentError } from '../../domain/errors.ts';
import { type FfmpegRun, parseTimemark } from '../../domain/ffmpeg-runs.ts';
import { infoFromFfprobe, type MediaInfo } from '../../domain/media-info.ts';
import type { MediaProbe } from '../../ports/media-probe.ts';
import type { MediaTools, RunControl } from '../../ports/media-tools.ts';

/**
 * ffmpeg and ffprobe, the only place that starts them. fluent-ffmpeg (archived upstream in 2025) is
 * used for what it does well — building the command line, parsing progress, the timeout kill — and
 * nothing else imports it. ffprobe runs through execFile, which has a timeout and an abort signal.
 */
const FFMPEG = join(import.meta.dirname, 'ffmpeg-child.sh');
const PROGRESS_EVERY_MS = 1000;

/** Failures no retry can fix are the input's; these are the machine's, and pass. */
const RESOURCE_TROUBLE = /No space left on device|Cannot allocate memory|Resource temporarily unavailable|Too many open files/i;

/** The last lines ffmpeg wrote, with work-file paths replaced by what they are. */
function reasonFrom(stderr: string, paths: string[]): string {
  let text = stderr;
  for (const p of paths) text = text.split(p).join(basename(p).startsWith('original') ? 'original' : basename(p));
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/, '').trim()) // "[mov,mp4,… @ 0x55a6…]": which demuxer, at which address
    .filter((l) => l && !/^(frame|size)=/.test(l));
  return lines.slice(-3).join(' / ').slice(0, 600) || 'ffmpeg failed without a message';
}

function failure(stderr: string, paths: string[], signal: AbortSignal | undefined, what: string): Error {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error(`${what} aborted`);
  const reason = reasonFrom(stderr, paths);
  if (RESOURCE_TROUBLE.test(stderr)) return new Error(`${what}: ${reason}`);
  return new PermanentError(reason, 'unplayable');
}

export class FfmpegTools implements MediaTools, MediaProbe {
  constructor(private readonly probeTimeoutMs = 30000) {}

  probe(path: string, control: Omit<RunControl, 'onProgress'>): Promise<MediaInfo> {
    return new Promise((resolve, reject) => {
      execFile(
        'ffprobe',
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
        { timeout: control.timeoutMs, killSignal: 'SIGKILL', signal: control.signal, maxBuffer: 32 << 20 },
        (error, stdout, stderr) => {
          if (!error) {
            try {
              return resolve(infoFromFfprobe(JSON.parse(stdout)));
            } catch {
              return reject(new PermanentError('ffprobe described it in a way that is not JSON', 'unplayable'));
            }
          }
          const e = error as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT') return reject(new Error('ffprobe is not installed: run scripts/provision.sh'));
          if (e.killed && !control.signal?.aborted) return reject(new Error(`ffprobe timed out after ${control.timeoutMs} ms`));
          reject(failure(String(stderr), [path], control.signal, 'ffprobe'));
        },
      );
    });
  }

  /** The container's capture time (the secure stage's clue, read from the device while it uploads). */
  async captureTime(path: string, signal?: AbortSignal): Promise<Date | null> {
    const info = await this.probe(path, { timeoutMs: this.probeTimeoutMs, signal });
    return info.capturedAt ? new Date(info.capturedAt) : null;
  }

  run(spec: FfmpegRun, control: RunControl): Promise<void> {
    const { signal } = control;
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const command = ffmpeg({ timeout: Math.ceil(control.timeoutMs / 1000), stdoutLines: 0 }).setFfmpegPath(FFMPEG);
      spec.inputs.forEach((input, i) => {
        command.input(input.path);
        // -nostdin: ffmpeg must not wait on a terminal; global options may stand before the first input.
        command.inputOptions([...(i === 0 ? ['-nostdin', '-hide_banner'] : []), ...input.options]);
      });
      for (const output of spec.outputs) command.output(output.path).outputOptions(output.options);

      let lastReport = 0;
      command.on('progress', (p: { timemark?: string }) => {
        const seconds = parseTimemark(p.timemark);
        const now = Date.now();
        if (seconds === null || !control.onProgress || now - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = now;
        const percent = spec.mediaSeconds ? Math.min(100, Math.round((seconds / spec.mediaSeconds) * 1000) / 10) : null;
        control.onProgress({ seconds, percent });
      });
      const kill = () => command.kill('SIGKILL');
      signal?.addEventListener('abort', kill, { once: true });
      const paths = [...spec.inputs, ...spec.outputs].map((x) => x.path);
      command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        signal?.removeEventListener('abort', kill);
        if (/timeout/i.test(error.message) && !signal?.aborted) return reject(new Error(`ffmpeg timed out after ${control.timeoutMs} ms`));
        // Killed by anyone but us (the OOM killer): the machine's trouble, not the file's.
        if (/killed with signal/.test(error.message) && !signal?.aborted) return reject(new Error(`ffmpeg was killed: ${reasonFrom(stderr ?? '', paths)}`));
        reject(failure(stderr ?? error.message, paths, signal, 'ffmpeg'));
      });
      command.on('end', () => {
        signal?.removeEventListener('abort', kill);
        resolve();
      });
      command.run();
    });
  }
}
