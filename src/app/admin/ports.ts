import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../ports/clock.ts';
import type { JobQueues } from '../../ports/jobs.ts';
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
  /** Mounts the queue dashboard (bull-board) under `basePath` of an API scope. */
  mountDashboard(app: FastifyInstance, basePath: string): Promise<void>;
  close(): Promise<void>;
}

/** What the scheduled deadline check and the alert delivery work with (AppDeps is one). */
export interface CheckDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  /** Webhook messages are queued as deliver-alert jobs. */
  queues: Pick<JobQueues, 'add'>;
  admin: Pick<AdminPorts, 'alerts' | 'notifier' | 'facts' | 'devices' | 'cases' | 'disk'> & { jobs: Pick<JobAdmin, 'failed'> };
}
