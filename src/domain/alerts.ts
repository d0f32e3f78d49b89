/**
 * Alerts: conditions found by the scheduled check, raised once and kept until they clear. A condition
 * is named by its key; while an alert with that key is active, finding the condition again only
 * refreshes it (no second notification). An ongoing condition clears when a check no longer finds it;
 * a one-off fact (items secured late) clears by itself after `NOTICE_MS`, having been notified once.
 */
export const alertKinds = ['secure-late', 'device-not-docked', 'case-file-due', 'case-file-overdue', 'jobs-failed', 'disk-low', 'queue-paused'] as const;
export type AlertKind = (typeof alertKinds)[number];
export type Severity = 'warning' | 'critical';

export interface Condition {
  /** Unique per condition, e.g. `device-not-docked:BWC-0001`, `disk-low:dock-pc-1:/var/lib/evidock`. */
  key: string;
  kind: AlertKind;
  severity: Severity;
  /** What it is about: `device:<serial>`, `case:<id>`, `queue:<name>`, `session:<id>`, `disk:<host>:<path>`. */
  subject: string;
  message: string;
  details: Record<string, unknown>;
  /** A fact that happened (not a state that can end): alerted once, shown for NOTICE_MS. */
  once: boolean;
}

export interface Alert extends Condition {
  id: string;
  raisedAt: Date;
  /** Last time a check found the condition (or when it was raised). */
  seenAt: Date;
  clearedAt: Date | null;
}

/** How long a one-off alert stays active (listed by status and the API) before it clears. */
export const NOTICE_MS = 24 * 3600_000;

export interface AlertPlan {
  /** Conditions with no active alert: raise and notify. */
  raise: Condition[];
  /** Active alerts found again: refresh their message and details, no notification. */
  refresh: Array<{ alert: Alert; condition: Condition }>;
  /** Active alerts whose condition is gone: clear and notify. */
  clear: Alert[];
}

/**
 * Compares what a check found with the active alerts. `inScope` says which keys this check looked at
 * (a dock host checks only its own disks): an active alert outside it is left alone.
 */
export function planAlerts(active: Alert[], found: Condition[], now: Date, inScope: (key: string) => boolean): AlertPlan {
  const byKey = new Map(active.map((a) => [a.key, a]));
  const foundKeys = new Set<string>();
  const plan: AlertPlan = { raise: [], refresh: [], clear: [] };
  for (const condition of found) {
    if (foundKeys.has(condition.key)) continue;
    foundKeys.add(condition.key);
    const alert = byKey.get(condition.key);
    if (alert) plan.refresh.push({ alert, condition });
    else plan.raise.push(condition);
  }
  for (const alert of active) {
    if (foundKeys.has(alert.key)) continue;
    const gone = alert.once ? now.getTime() - alert.raisedAt.getTime() >= NOTICE_MS : inScope(alert.key);
    if (gone) plan.clear.push(alert);
  }
  return plan;
}

export type AlertStatus = 'firing' | 'resolved';

/** The webhook's JSON body (documented in docs/alerts.md): one per alert raised, one when it clears. */
export function alertMessage(alert: Alert, status: AlertStatus) {
  return {
    source: 'evidock',
    status,
    id: alert.id,
    key: alert.key,
    kind: alert.kind,
    severity: alert.severity,
    subject: alert.subject,
    message: alert.message,
    details: alert.details,
    raisedAt: alert.raisedAt.toISOString(),
    clearedAt: alert.clearedAt?.toISOString() ?? null,
  };
}

export type AlertMessage = ReturnType<typeof alertMessage>;
