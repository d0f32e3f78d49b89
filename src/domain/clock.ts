/**
 * A device's clock against the dock host's at dock. A clock file (where the model writes one) gives the
 * drift both ways. Otherwise the newest file only bounds it from one side: a file "from the future" proves
 * the device clock is ahead, while a newest file in the past is just a recording made earlier.
 */
export type ClockSource = 'clock-file' | 'newest-file';

export interface ClockReading {
  /** Device time minus dock-host time, in ms; null when nothing tells. */
  driftMs: number | null;
  source: ClockSource | null;
  flagged: boolean;
}

/** A clock file's content: ISO 8601 with a zone (`2026-05-01T08:00:00+08:00`, `…Z`) or Unix seconds. */
export function parseClockFile(text: string): Date | null {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  if (/^\d{9,11}$/.test(line)) return new Date(Number(line) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(line)) return null;
  const at = new Date(line.replace(' ', 'T'));
  return Number.isNaN(at.getTime()) ? null : at;
}

export function readClock(input: { dockedAt: Date; clockFileTime: Date | null; newestFileMtimeMs: number | null; thresholdMs: number }): ClockReading {
  const { dockedAt, clockFileTime, newestFileMtimeMs, thresholdMs } = input;
  if (clockFileTime) {
    const driftMs = clockFileTime.getTime() - dockedAt.getTime();
    return { driftMs, source: 'clock-file', flagged: Math.abs(driftMs) > thresholdMs };
  }
  const ahead = newestFileMtimeMs === null ? 0 : Math.round(newestFileMtimeMs - dockedAt.getTime());
  if (ahead > 0) return { driftMs: ahead, source: 'newest-file', flagged: ahead > thresholdMs };
  return { driftMs: null, source: null, flagged: false };
}
