import type { Condition } from './alerts.ts';

/**
 * The deadlines the regulation sets and the health limits admins set, as plain functions over facts
 * read by the scheduled check. Each returns the conditions that hold now; `planAlerts` turns them into
 * alerts raised once and cleared when they no longer hold.
 */
export interface DeadlineRules {
  /** B7: capture → secured. */
  secureWithinMs: number;
  /** A device in service must come back to a dock this often. */
  dockWithinMs: number;
  /** Warn this long before a case file is due. */
  caseFileWarnMs: number;
  /** A job failed this long ago and still failed. */
  failedJobAfterMs: number;
  diskMinFreeBytes: number;
  diskMinFreePercent: number;
}

const HOUR = 3600_000;
const hours = (ms: number) => Math.round((ms / HOUR) * 10) / 10;
const days = (ms: number) => Math.round((ms / (24 * HOUR)) * 10) / 10;

/** An item secured after the B7 limit, flagged on the item by the check that found it. */
export interface LateItem {
  itemId: string;
  sessionId: string;
  deviceSerial: string;
  officerId: string | null;
  capturedAt: Date;
  securedAt: Date;
}

export const secureDelayMs = (item: Pick<LateItem, 'capturedAt' | 'securedAt'>) => item.securedAt.getTime() - item.capturedAt.getTime();

export const isSecuredLate = (item: Pick<LateItem, 'capturedAt' | 'securedAt'>, rules: Pick<DeadlineRules, 'secureWithinMs'>) =>
  secureDelayMs(item) > rules.secureWithinMs;

/** One alert per dock session whose items were just flagged (not one per file). */
export function lateSecureConditions(flagged: LateItem[], rules: Pick<DeadlineRules, 'secureWithinMs'>): Condition[] {
  const bySession = new Map<string, LateItem[]>();
  for (const item of flagged) bySession.set(item.sessionId, [...(bySession.get(item.sessionId) ?? []), item]);
  return [...bySession].map(([sessionId, items]) => {
    const worst = Math.max(...items.map(secureDelayMs));
    const first = items[0]!;
    return {
      key: `secure-late:${sessionId}`,
      kind: 'secure-late',
      severity: 'critical',
      subject: `session:${sessionId}`,
      message: `${items.length} recording(s) from device ${first.deviceSerial} were secured more than ${hours(rules.secureWithinMs)} h after capture (up to ${hours(worst)} h): a breach of the 24-hour rule (B7)`,
      details: {
        sessionId, deviceSerial: first.deviceSerial, officerIds: [...new Set(items.map((i) => i.officerId).filter(Boolean))],
        itemIds: items.map((i) => i.itemId), worstDelayHours: hours(worst),
      },
      once: true,
    };
  });
}

/** A device assigned to an officer now, with when it was last docked and its newest known recording. */
export interface DeviceDockFacts {
  serial: string;
  officerId: string;
  assignedSince: Date;
  lastDockAt: Date | null;
  lastRecordingAt: Date | null;
}

/**
 * A device in service that has not been docked within the limit since its last dock or recording (or
 * since it was assigned, if never docked): its recordings may be waiting on it past the 24-hour rule.
 */
export function deviceDockConditions(devices: DeviceDockFacts[], now: Date, rules: Pick<DeadlineRules, 'dockWithinMs'>): Condition[] {
  return devices.flatMap((d) => {
    const since = Math.max(d.assignedSince.getTime(), d.lastDockAt?.getTime() ?? 0, d.lastRecordingAt?.getTime() ?? 0);
    const overdueMs = now.getTime() - since - rules.dockWithinMs;
    if (overdueMs <= 0) return [];
    const basis = d.lastDockAt ? `last docked ${d.lastDockAt.toISOString()}` : `never docked since assigned ${d.assignedSince.toISOString()}`;
    return [{
      key: `device-not-docked:${d.serial}`,
      kind: 'device-not-docked',
      severity: 'warning',
      subject: `device:${d.serial}`,
      message: `device ${d.serial} (officer ${d.officerId}) has not been docked for ${hours(now.getTime() - since)} h (${basis}); dock it so its recordings are secured within 24 h`,
      details: {
        deviceSerial: d.serial, officerId: d.officerId, lastDockAt: d.lastDockAt?.toISOString() ?? null,
        lastRecordingAt: d.lastRecordingAt?.toISOString() ?? null, dueAt: new Date(since + rules.dockWithinMs).toISOString(),
      },
      once: false,
    }];
  });
}

/** A case that ended and whose case file is not archived yet (B8: due 30 days after the case ended). */
export interface CaseFileFacts {
  caseId: string;
  endedAt: Date;
  dueAt: Date;
}

export type CaseFileStanding = 'on-time' | 'due-soon' | 'overdue';

export function caseFileStanding(c: CaseFileFacts, now: Date, rules: Pick<DeadlineRules, 'caseFileWarnMs'>): CaseFileStanding {
  const left = c.dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= rules.caseFileWarnMs ? 'due-soon' : 'on-time';
}

/** Due soon and overdue are two conditions: a case file that becomes overdue clears one and raises the other. */
export function caseFileConditions(cases: CaseFileFacts[], now: Date, rules: Pick<DeadlineRules, 'caseFileWarnMs'>): Condition[] {
  return cases.flatMap((c) => {
    const standing = caseFileStanding(c, now, rules);
    if (standing === 'on-time') return [];
    const left = c.dueAt.getTime() - now.getTime();
    const details = { caseId: c.caseId, endedAt: c.endedAt.toISOString(), dueAt: c.dueAt.toISOString() };
    return [standing === 'overdue'
      ? {
          key: `case-file-overdue:${c.caseId}`, kind: 'case-file-overdue', severity: 'critical', subject: `case:${c.caseId}`, details, once: false,
          message: `the case file of case ${c.caseId} was due ${c.dueAt.toISOString()} (${days(-left)} days ago): a breach of the 30-day rule (B8)`,
        }
      : {
          key: `case-file-due:${c.caseId}`, kind: 'case-file-due', severity: 'warning', subject: `case:${c.caseId}`, details, once: false,
          message: `the case file of case ${c.caseId} is due ${c.dueAt.toISOString()} (in ${days(left)} days)`,
        }];
  });
}

export interface FailedJobFacts {
  queue: string;
  jobId: string;
  name: string;
  failedAt: Date;
  reason: string;
}

/** One condition per queue holding jobs failed longer than the limit: it clears once they are retried or removed. */
export function failedJobConditions(failed: FailedJobFacts[], now: Date, rules: Pick<DeadlineRules, 'failedJobAfterMs'>): Condition[] {
  const stale = failed.filter((f) => now.getTime() - f.failedAt.getTime() >= rules.failedJobAfterMs);
  const byQueue = new Map<string, FailedJobFacts[]>();
  for (const f of stale) byQueue.set(f.queue, [...(byQueue.get(f.queue) ?? []), f]);
  return [...byQueue].map(([queue, jobs]) => {
    const oldest = jobs.reduce((a, b) => (a.failedAt <= b.failedAt ? a : b));
    return {
      key: `jobs-failed:${queue}`,
      kind: 'jobs-failed',
      severity: 'warning',
      subject: `queue:${queue}`,
      message: `${jobs.length} job(s) in queue ${queue} failed more than ${Math.round(rules.failedJobAfterMs / 60_000)} min ago and were not retried (oldest ${oldest.jobId}: ${oldest.reason}); see "evidock jobs failed --queue ${queue}"`,
      details: { queue, count: jobs.length, jobIds: jobs.slice(0, 20).map((j) => j.jobId), oldestFailedAt: oldest.failedAt.toISOString() },
      once: false,
    };
  });
}

export interface DiskFacts {
  path: string;
  freeBytes: number;
  totalBytes: number;
}

export function isDiskLow(d: DiskFacts, rules: Pick<DeadlineRules, 'diskMinFreeBytes' | 'diskMinFreePercent'>): boolean {
  const percent = d.totalBytes === 0 ? 0 : (d.freeBytes / d.totalBytes) * 100;
  return d.freeBytes < rules.diskMinFreeBytes || percent < rules.diskMinFreePercent;
}

/** Keys carry the host: each dock host checks (and clears) only its own disks. */
export const diskKeyPrefix = (host: string) => `disk-low:${host}:`;

export function diskConditions(host: string, disks: DiskFacts[], rules: Pick<DeadlineRules, 'diskMinFreeBytes' | 'diskMinFreePercent'>): Condition[] {
  return disks.filter((d) => isDiskLow(d, rules)).map((d) => ({
    key: `${diskKeyPrefix(host)}${d.path}`,
    kind: 'disk-low',
    severity: 'critical',
    subject: `disk:${host}:${d.path}`,
    message: `${d.path} on ${host} has ${(d.freeBytes / 1e9).toFixed(1)} GB free of ${(d.totalBytes / 1e9).toFixed(1)} GB; securing stops when it is full`,
    details: { host, path: d.path, freeBytes: d.freeBytes, totalBytes: d.totalBytes },
    once: false,
  }));
}

/** The keys a check on `host` is responsible for: everything but other hosts' disks. */
export function checkScope(host: string): (key: string) => boolean {
  // A paused queue is raised and cleared by the pause and resume themselves (a check cannot see them).
  return (key) => !key.startsWith('queue-paused:') && (!key.startsWith('disk-low:') || key.startsWith(diskKeyPrefix(host)));
}
