import type { Images } from '../../ports/images.ts';
import type { MediaCatalog } from '../../ports/media-catalog.ts';
import type { MediaFlows } from '../../ports/media-flows.ts';
import type { MediaTools } from '../../ports/media-tools.ts';
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
