import type { Alert } from '../../domain/alerts.ts';
import type { FailedJob } from '../../ports/job-admin.ts';

/**
 * JSON shapes of alerts and failed jobs, for `evidock status --json`, `evidock jobs failed --json` and the
 * admin API (docs/cli-json.md): fields are added, never renamed or removed.
 */
export function alertJson(a: Alert) {
  return {
    id: a.id,
    key: a.key,
    kind: a.kind,
    severity: a.severity,
    subject: a.subject,
    message: a.message,
    details: a.details,
    raisedAt: a.raisedAt.toISOString(),
    seenAt: a.seenAt.toISOString(),
    clearedAt: a.clearedAt?.toISOString() ?? null,
  };
}

export function failedJobJson(j: FailedJob) {
  return {
    queue: j.queue,
    id: j.id,
    name: j.name,
    failedAt: j.failedAt?.toISOString() ?? null,
    attemptsMade: j.attemptsMade,
    reason: j.reason,
    data: j.data,
  };
}

export type AlertJson = ReturnType<typeof alertJson>;
export type FailedJobJson = ReturnType<typeof failedJobJson>;
