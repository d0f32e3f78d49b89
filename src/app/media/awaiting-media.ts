import type { MediaDeps } from './deps.ts';

const PAGE = 500;

/** Queues the probe of every secured item whose media has not settled (adding a queued item again is a no-op). */
export async function queueAwaitingMedia(deps: Pick<MediaDeps, 'media'>): Promise<number> {
  let after: string | null = null;
  let queued = 0;
  for (;;) {
    const page = await deps.media.catalog.itemsAwaitingMedia(after, PAGE);
    for (const item of page) await deps.media.flows.probe(item);
    queued += page.length;
    if (page.length < PAGE) return queued;
    after = page[page.length - 1]!.itemId;
  }
}
