import { describe, expect, it } from 'vitest';
import { parseClockFile, readClock } from '../../src/domain/clock.ts';

const dockedAt = new Date('2026-05-01T10:00:00Z');
const thresholdMs = 300_000;

describe('device clock', () => {
  it('reads ISO 8601 with a zone, or Unix seconds; refuses a time without a zone', () => {
    expect(parseClockFile('2026-05-01T18:07:00+08:00\n')?.toISOString()).toBe('2026-05-01T10:07:00.000Z');
    expect(parseClockFile('\r\n2026-05-01 10:00:30Z')?.toISOString()).toBe('2026-05-01T10:00:30.000Z');
    expect(parseClockFile('1777629600')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(parseClockFile('2026-05-01 18:07:00')).toBeNull();
    expect(parseClockFile('garbage')).toBeNull();
  });

  it('a clock file gives the drift both ways, flagged past the threshold', () => {
    expect(readClock({ dockedAt, clockFileTime: new Date('2026-05-01T09:50:00Z'), newestFileMtimeMs: null, thresholdMs }))
      .toEqual({ driftMs: -600_000, source: 'clock-file', flagged: true });
    expect(readClock({ dockedAt, clockFileTime: new Date('2026-05-01T10:04:00Z'), newestFileMtimeMs: Date.parse('2027-01-01'), thresholdMs }))
      .toEqual({ driftMs: 240_000, source: 'clock-file', flagged: false });
  });

  it('without one, only a file from the future shows drift; an older newest file is just an earlier recording', () => {
    expect(readClock({ dockedAt, clockFileTime: null, newestFileMtimeMs: Date.parse('2026-05-01T11:00:00Z'), thresholdMs }))
      .toEqual({ driftMs: 3_600_000, source: 'newest-file', flagged: true });
    expect(readClock({ dockedAt, clockFileTime: null, newestFileMtimeMs: Date.parse('2026-05-01T10:01:00Z'), thresholdMs }))
      .toEqual({ driftMs: 60_000, source: 'newest-file', flagged: false });
    expect(readClock({ dockedAt, clockFileTime: null, newestFileMtimeMs: Date.parse('2026-04-30T18:00:00Z'), thresholdMs }))
      .toEqual({ driftMs: null, source: null, flagged: false });
    expect(readClock({ dockedAt, clockFileTime: null, newestFileMtimeMs: null, thresholdMs })).toEqual({ driftMs: null, source: null, flagged: false });
  });
});
