import { type Condition, planAlerts } from '../../domain/alerts.ts';
import { caseFileDue } from '../../domain/case-files.ts';
import {
  type CaseFileFacts,
  caseFileConditions, checkScope, type DeadlineRules, deviceDockConditions, type DiskFacts, diskConditions, failedJobConditions,
  lateSecureConditions,
} from '../../domain/deadlines.ts';
import type { CheckDeadlinesPayload } from '../../domain/jobs.ts';
import type { Config } from '../../config/schema.ts';
import type { JobQueues, Processor } from '../../ports/jobs.ts';
import type { CheckDeps } from './ports.ts';
import { raiseAndClear } from './apply-alerts.ts';

const HOUR = 3600_000;
/** Items flagged per check at most: a backlog is worked off over successive checks, each bounded. */
const FLAG_BATCH = 5000;

export function deadlineRules(config: Config): DeadlineRules {
  const a = config.alerts;
  return {
    secureWithinMs: a.secureWithinHours * HOUR,
    dockWithinMs: a.dockWithinHours * HOUR,
    caseFileWarnMs: a.caseFileWarnDays * 24 * HOUR,
    failedJobAfterMs: a.failedJobMinutes * 60_000,
    diskMinFreeBytes: a.diskMinFreeBytes,
    diskMinFreePercent: a.diskMinFreePercent,
  };
}

/** The data folder (the spool: embedded services, media work files) and any configured extra disks of this host. */
export const watchedDisks = (config: Config) => [...new Set([config.dataDir, ...config.alerts.diskPaths])];

/** Free space of this host's watched disks; a path that cannot be read is logged and left out. */
export async function diskFacts(deps: CheckDeps): Promise<DiskFacts[]> {
  const facts = await Promise.all(
    watchedDisks(deps.config).map(async (path) => {
      try {
        return { path, ...(await deps.admin.disk.usage(path)) };
      } catch (error) {
        deps.log.warn({ err: error, path }, 'cannot read free space of a watched disk; check alerts.diskPaths');
        return null;
      }
    }),
  );
  return facts.filter((f): f is DiskFacts => f !== null);
}

/** Closed cases without a case file yet, each due 30 days after its end (B8). */
export async function pendingCaseFiles(deps: CheckDeps): Promise<CaseFileFacts[]> {
  const closed = await deps.admin.cases.closedCases();
  return closed.filter((c) => c.file === null).map(({ closure }) => ({ caseId: closure.caseId, endedAt: closure.endedAt, dueAt: caseFileDue(closure.endedAt) }));
}

/** Every condition that holds now, flagging items newly found secured late on the way. */
async function findConditions(deps: CheckDeps, dockHost: string, rules: DeadlineRules, now: Date): Promise<Condition[]> {
  const { admin } = deps;
  const flagged = await admin.facts.flagLateItems(rules.secureWithinMs, now, dockHost, FLAG_BATCH);
  const inService = (await admin.devices.devices()).filter((d) => d.officerId && d.assignedSince);
  const newest = await admin.facts.newestRecordings(inService.map((d) => d.serial));
  const failed = await admin.jobs.failed({ limit: 1000 });
  return [
    ...lateSecureConditions(flagged, rules),
    ...deviceDockConditions(
      inService.map((d) => ({ serial: d.serial, officerId: d.officerId!, assignedSince: d.assignedSince!, lastDockAt: d.lastSeenAt, lastRecordingAt: newest.get(d.serial) ?? null })),
      now,
      rules,
    ),
    ...caseFileConditions(await pendingCaseFiles(deps), now, rules),
    ...failedJobConditions(failed.flatMap((f) => (f.failedAt ? [{ ...f, jobId: f.id, failedAt: f.failedAt }] : [])), now, rules),
    ...diskConditions(dockHost, await diskFacts(deps), rules),
  ];
}

/**
 * The scheduled check (regulation B7, B8 and the installation's health): flags late items, then raises an
 * alert for each condition newly found and clears those that no longer hold. Runs on every dock host
 * (each checks its own disks); concurrent runs raise and clear each alert once.
 */
export function checkDeadlinesProcessor(deps: CheckDeps): Processor<'check-deadlines'> {
  return async (p: CheckDeadlinesPayload) => {
    const now = deps.clock.now();
    const found = await findConditions(deps, p.dockHost, deadlineRules(deps.config), now);
    const plan = planAlerts(await deps.admin.alerts.active(), found, now, checkScope(p.dockHost));
    const done = await raiseAndClear(deps, plan, now);
    return { conditions: found.length, ...done };
  };
}

/** Each dock host runs the check on its own schedule (its disks are its own); upserting again is a no-op. */
export async function scheduleDeadlineChecks(deps: Pick<CheckDeps, 'config'> & { queues: Pick<JobQueues, 'every'> }): Promise<void> {
  const { config } = deps;
  await deps.queues.every(`check-deadlines-${config.dockHost}`, 'check-deadlines', { dockHost: config.dockHost }, config.alerts.checkIntervalMs);
}
