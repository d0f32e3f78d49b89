import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { MediaPorts } from './ports.ts';

/** What the media stages and the worker role work with. */
export interface MediaDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  catalog: Catalog;
  store: ObjectStore;
  media: MediaPorts;
  admin: { metrics: Metrics };
}
