import type { AlertNotifier, AlertStore } from '../../ports/alerts.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { CaseRecords } from '../../ports/case-records.ts';
import type { DeadlineFacts } from '../../ports/deadline-facts.ts';
import type { DiskSpace } from '../../ports/disk-space.ts';
import type { FailedFileReopener, JobAdmin } from '../../ports/job-admin.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { Readiness } from '../../ports/readiness.ts';
import type { Registry } from '../../ports/registry.ts';

/** What the admin side (checks, alerts, metrics, health, failed jobs) works with: ports only. */
export interface AdminPorts {
  alerts: AlertStore;
  notifier: AlertNotifier;
  facts: DeadlineFacts;
  /** The device register (assignments, last dock), read for the dock-every-24-h check. */
  devices: Pick<Registry, 'devices'>;
  /** Closed cases and their case files, read for the 30-day check (B8). */
  cases: Pick<CaseRecords, 'closedCases'>;
  jobs: JobAdmin;
  reopener: FailedFileReopener;
  audit: AuditLog;
  readiness: Readiness;
  disk: DiskSpace;
  metrics: Metrics;
}
