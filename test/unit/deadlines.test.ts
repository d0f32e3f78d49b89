import { describe, expect, it } from 'vitest';
import {
  caseFileConditions, caseFileStanding, checkScope, type DeadlineRules, deviceDockConditions, diskConditions, failedJobConditions,
  isSecuredLate, type LateItem, lateSecureConditions,
} from '../../src/domain/deadlines.ts';

const H = 3600_000;
const D = 24 * H;
const rules: DeadlineRules = {
  secureWithinMs: 24 * H, dockWithinMs: 24 * H, caseFileWarnMs: 5 * D, failedJobAfterMs: 30 * 60_000,
  diskMinFreeBytes: 10e9, diskMinFreePercent: 5,
};
const t0 = new Date('2026-05-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('24-hour rule (B7): capture to secured', () => {
  it('is breached only past 24 h, not at it', () => {
    expect(isSecuredLate({ capturedAt: t0, securedAt: at(24 * H) }, rules)).toBe(false);
    expect(isSecuredLate({ capturedAt: t0, securedAt: at(24 * H + 1) }, rules)).toBe(true);
  });

  it('raises one one-off alert per dock session, naming every late item and the worst delay', () => {
    const item = (itemId: string, sessionId: string, delay: number): LateItem => ({
      itemId, sessionId, deviceSerial: 'BWC-1', officerId: 'P-7', capturedAt: t0, securedAt: at(delay),
    });
    const conditions = lateSecureConditions([item('a', 'S1', 30 * H), item('b', 'S1', 50 * H), item('c', 'S2', 25 * H)], rules);
    expect(conditions.map((c) => c.key)).toEqual(['secure-late:S1', 'secure-late:S2']);
    expect(conditions[0]).toMatchObject({ kind: 'secure-late', severity: 'critical', once: true, details: { itemIds: ['a', 'b'], worstDelayHours: 50, officerIds: ['P-7'] } });
    expect(conditions[0]!.message).toContain('2 recording(s) from device BWC-1');
  });
});

describe('devices not docked within 24 h', () => {
  const device = { serial: 'BWC-1', officerId: 'P-7', assignedSince: t0, lastDockAt: at(2 * H), lastRecordingAt: at(1 * H) };

  it('counts from the later of last dock, last recording and the assignment', () => {
    expect(deviceDockConditions([device], at(26 * H), rules)).toEqual([]);
    const [c] = deviceDockConditions([device], at(26 * H + 1), rules);
    expect(c).toMatchObject({ key: 'device-not-docked:BWC-1', subject: 'device:BWC-1', once: false, details: { dueAt: at(26 * H).toISOString() } });
    // A recording newer than the last dock (a device clock ahead) moves the deadline.
    expect(deviceDockConditions([{ ...device, lastRecordingAt: at(5 * H) }], at(27 * H), rules)).toEqual([]);
  });

  it('counts a device never docked from its assignment', () => {
    const never = { ...device, lastDockAt: null, lastRecordingAt: null };
    expect(deviceDockConditions([never], at(24 * H), rules)).toEqual([]);
    expect(deviceDockConditions([never], at(25 * H), rules)[0]!.message).toContain('never docked');
  });
});

describe('case files (B8): due 30 days after the case ended', () => {
  const ended = { caseId: 'C-1', endedAt: t0, dueAt: at(30 * D) };

  it('is on time, then due soon within the warning window, then overdue', () => {
    expect(caseFileStanding(ended, at(25 * D - 1), rules)).toBe('on-time');
    expect(caseFileStanding(ended, at(25 * D), rules)).toBe('due-soon');
    expect(caseFileStanding(ended, at(30 * D), rules)).toBe('due-soon');
    expect(caseFileStanding(ended, at(30 * D + 1), rules)).toBe('overdue');
  });

  it('uses a different key when due soon and when overdue, so becoming overdue is a new alert', () => {
    expect(caseFileConditions([ended], at(20 * D), rules)).toEqual([]);
    expect(caseFileConditions([ended], at(26 * D), rules).map((c) => [c.key, c.severity])).toEqual([['case-file-due:C-1', 'warning']]);
    expect(caseFileConditions([ended], at(31 * D), rules).map((c) => [c.key, c.severity])).toEqual([['case-file-overdue:C-1', 'critical']]);
  });
});

describe('failed jobs left unattended', () => {
  const failed = (queue: string, jobId: string, ago: number) => ({ queue, jobId, name: 'secure-file', failedAt: at(-ago), reason: `boom ${jobId}` });

  it('alerts once per queue for jobs failed longer ago than the limit, naming the oldest', () => {
    const conditions = failedJobConditions([failed('secure-a', '1', 31 * 60_000), failed('secure-a', '2', 90 * 60_000), failed('secure-b', '3', 5 * 60_000)], t0, rules);
    expect(conditions).toHaveLength(1);
    expect(conditions[0]).toMatchObject({ key: 'jobs-failed:secure-a', details: { count: 2, jobIds: ['1', '2'] } });
    expect(conditions[0]!.message).toContain('oldest 2: boom 2');
  });
});

describe('disk space', () => {
  it('is low below either the byte or the percent limit', () => {
    const disk = (freeBytes: number, totalBytes: number) => ({ path: '/var/lib/evidock', freeBytes, totalBytes });
    expect(diskConditions('dock-1', [disk(50e9, 100e9)], rules)).toEqual([]);
    expect(diskConditions('dock-1', [disk(9e9, 100e9)], rules).map((c) => c.key)).toEqual(['disk-low:dock-1:/var/lib/evidock']);
    expect(diskConditions('dock-1', [disk(40e9, 1000e9)], rules)).toHaveLength(1);
  });

  it("is each host's own: a check clears only its host's disk alerts", () => {
    const inScope = checkScope('dock-1');
    expect(inScope('disk-low:dock-1:/data')).toBe(true);
    expect(inScope('disk-low:dock-2:/data')).toBe(false);
    expect(inScope('device-not-docked:BWC-1')).toBe(true);
  });
});
