import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Clock } from '../../ports/clock.ts';
import type { JobQueues } from '../../ports/jobs.ts';
import type { AdminPorts } from './ports.ts';

/** What deadline checks, alerts, gauges and failed-job handling work with. */
export interface AdminDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  catalog: Catalog;
  queues: JobQueues;
  admin: AdminPorts;
}
