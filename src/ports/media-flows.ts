import type { MediaJobPayload } from '../domain/jobs.ts';

/** How an item's media work is queued (BullMQ in production). Adding the same item twice is a no-op. */
export interface MediaFlows {
  /** Queues the probe of a secured item; the probe queues the rest. */
  probe(item: MediaJobPayload): Promise<void>;
  /** Queues the item's flow: transcode and thumbnails side by side, then publish once both have ended. */
  derive(item: MediaJobPayload): Promise<void>;
  close(): Promise<void>;
}
