import ffmpeg from 'fluent-ffmpeg';
import type { MediaProbe } from '../ports/media-probe.ts';

/**
 * Capture time from the container's creation_time tag (format first, then streams).
 * fluent-ffmpeg is archived upstream: this file and the later ffmpeg adapter are the only users.
 */
export class FfprobeMediaProbe implements MediaProbe {
  constructor(private readonly timeoutMs = 15000) {}

  captureTime(path: string): Promise<Date | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), this.timeoutMs);
      ffmpeg.ffprobe(path, (error, data) => {
        clearTimeout(timer);
        if (error || !data) return resolve(null);
        const tags = [data.format?.tags, ...(data.streams ?? []).map((s) => s.tags)];
        for (const t of tags) {
          const raw = (t as Record<string, unknown> | undefined)?.creation_time;
          const at = typeof raw === 'string' ? new Date(raw) : null;
          // Recorders without a set clock write 1970 or 1904 epochs: not a capture time.
          if (at && !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 2000) return resolve(at);
        }
        resolve(null);
      });
    });
  }
}
