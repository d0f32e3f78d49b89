import type { PgPool } from '../../adapters/postgres/transaction.ts';
import { mountQueueDashboard } from '../../adapters/bull-board-dashboard.ts';
import { BullJobAdmin } from '../../adapters/bullmq-admin.ts';
import type { ServiceEndpoints } from '../../adapters/embedded/services.ts';
import type { MinioObjectStore } from '../../adapters/minio-object-store.ts';
import { PgAlertStore } from '../../adapters/postgres/pg-alerts.ts';
import { PgAuditLog } from '../../adapters/postgres/pg-audit-log.ts';
import { PgCaseRecords } from '../../adapters/postgres/pg-case-records.ts';
import { PgDeadlineFacts } from '../../adapters/postgres/pg-deadline-facts.ts';
import { PgRegistry } from '../../adapters/postgres/pg-registry.ts';
import { PgFailedFileReopener } from '../../adapters/postgres/pg-reopener.ts';
import { PromMetrics } from '../../adapters/prometheus-metrics.ts';
import { ServiceReadiness } from '../../adapters/readiness.ts';
import { statfsDiskSpace } from '../../adapters/statfs-disk-space.ts';
import { WebhookNotifier } from '../../adapters/webhook-notifier.ts';
import type { Config } from '../../config/schema.ts';
import type { AdminPorts } from './ports.ts';

/** The admin parts of the core, on the catalog's pool and the evidence store's client. */
export function adminParts(config: Config, endpoints: ServiceEndpoints, pool: PgPool, store: MinioObjectStore): AdminPorts {
  const jobs = new BullJobAdmin(endpoints.redisUrl);
  const readiness = new ServiceReadiness(endpoints.redisUrl, pool, store);
  return {
    alerts: new PgAlertStore(pool),
    notifier: new WebhookNotifier(config.alerts.webhook),
    facts: new PgDeadlineFacts(pool),
    devices: new PgRegistry(pool),
    cases: new PgCaseRecords(pool),
    jobs,
    reopener: new PgFailedFileReopener(pool),
    audit: new PgAuditLog(pool),
    readiness,
    disk: statfsDiskSpace,
    metrics: new PromMetrics(),
    mountDashboard: (app, basePath) => mountQueueDashboard(app, jobs, basePath),
    async close() {
      readiness.close();
      await jobs.close();
    },
  };
}
