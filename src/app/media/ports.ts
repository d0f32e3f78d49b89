import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Images } from '../../ports/images.ts';
import type { MediaCatalog } from '../../ports/media-catalog.ts';
import type { MediaFlows } from '../../ports/media-flows.ts';
import type { MediaTools } from '../../ports/media-tools.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Act } from '../../ports/registry.ts';

/** What the media stages work with, besides the core's catalog and object store. */
export interface MediaPorts {
  catalog: MediaCatalog;
  flows: MediaFlows;
  tools: MediaTools;
  images: Images;
  /** Tagging's matching, run again for an item whose capture time the probe corrected. */
  retag(itemId: string, act: Act): Promise<unknown>;
}

/** What the media stages' processors and final-failure handler work with (AppDeps is one). */
export interface MediaDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  store: ObjectStore;
  /** The secured item a media job names. */
  catalog: Pick<Catalog, 'findItemBySha256'>;
  media: MediaPorts;
}
