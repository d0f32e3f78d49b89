import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Docks } from '../../ports/docks.ts';
import type { EvidenceLocks } from '../../ports/evidence-locks.ts';
import type { JobQueues } from '../../ports/jobs.ts';
import type { MediaFlows } from '../../ports/media-flows.ts';
import type { MediaProbe } from '../../ports/media-probe.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Tagging } from '../tagging/tagging.ts';

/** What the dock pipeline (admission, scan, secure, wipe, sessions) works with. */
export interface DockDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  catalog: Catalog;
  docks: Docks;
  store: ObjectStore;
  queues: JobQueues;
  locks: Pick<EvidenceLocks, 'protectItem' | 'isProtected'>;
  probe: MediaProbe;
  /** Tags every secured recording (issue 5). */
  tagging: Pick<Tagging, 'itemSecured'>;
  /** A secured recording's media work is queued at once. */
  media: { flows: MediaFlows };
}
