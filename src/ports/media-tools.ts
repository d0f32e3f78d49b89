import type { FfmpegRun } from '../domain/ffmpeg-runs.ts';
import type { MediaInfo } from '../domain/media-info.ts';

export interface RunControl {
  /** The child is killed past this, and the run fails (transient: the job is retried). */
  timeoutMs: number;
  /** Aborting kills the child. */
  signal?: AbortSignal;
  /** Seconds of media done, and the share of `FfmpegRun.mediaSeconds` when that is known. */
  onProgress?: (done: { seconds: number; percent: number | null }) => void;
}

/**
 * ffmpeg and ffprobe. A file they cannot decode fails with a PermanentError carrying ffmpeg's own
 * reason; a timeout, an abort or a machine out of resources fails with an ordinary (transient) error.
 */
export interface MediaTools {
  probe(path: string, control: Omit<RunControl, 'onProgress'>): Promise<MediaInfo>;
  run(run: FfmpegRun, control: RunControl): Promise<void>;
}
