import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { Catalog } from '../ports/catalog.ts';
import type { Clock } from '../ports/clock.ts';
import type { Docks } from '../ports/docks.ts';
import type { EvidenceLocks } from '../ports/evidence-locks.ts';
import type { JobQueues } from '../ports/jobs.ts';
import type { MediaProbe } from '../ports/media-probe.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { MediaPorts } from './media/ports.ts';
import type { AdminPorts } from './admin/ports.ts';
import type { Tagging } from './tagging/tagging.ts';

/** What the processors and the dock controller work with: ports only. */
export interface AppDeps {
  config: Config;
  log: Logger;
  catalog: Catalog;
  docks: Docks;
  store: ObjectStore;
  queues: JobQueues;
  locks: EvidenceLocks;
  probe: MediaProbe;
  media: MediaPorts;
  /** Deadline checks, alerts, metrics, health and failed jobs (issue 7). */
  admin: AdminPorts;
  /** Tags every secured recording (issue 5). */
  tagging: Tagging;
  clock: Clock;
}
