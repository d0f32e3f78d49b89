import type { MediaJobPayload } from '../../domain/jobs.ts';
import type { MediaFlows } from '../../ports/media-flows.ts';

/** Media flows in memory: what was queued, each item once per kind (as BullMQ's ids make it). */
export class MemoryMediaFlows implements MediaFlows {
  readonly probes: MediaJobPayload[] = [];
  readonly derived: MediaJobPayload[] = [];

  async probe(item: MediaJobPayload): Promise<void> {
    if (!this.probes.some((p) => p.sha256 === item.sha256)) this.probes.push({ ...item });
  }

  async derive(item: MediaJobPayload): Promise<void> {
    if (!this.derived.some((p) => p.sha256 === item.sha256)) this.derived.push({ ...item });
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}
