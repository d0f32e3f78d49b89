import { startWorkers } from '../../adapters/bullmq-jobs.ts';
import type { Workers } from '../../ports/jobs.ts';
import type { AppDeps } from '../deps.ts';
import { buildProcessors, finalFailureHandler } from '../processors.ts';
import { mediaProcessors } from './processors.ts';

const DAY_MS = 24 * 3600_000;
const PAGE = 500;

/** Queues the probe of every secured item whose media has not settled (adding a queued item again is a no-op). */
export async function queueAwaitingMedia(deps: AppDeps): Promise<number> {
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

/**
 * The worker role: one BullMQ worker per media stage, sized by `media.concurrency`. At start it clears
 * what a killed worker left on this host and queues media work that was never queued (a secure whose
 * queueing failed, items secured before this host had the worker role).
 */
export async function startMediaRole(deps: AppDeps, redisUrl: string): Promise<Workers> {
  const s = deps.config.media;
  const swept = await mediaProcessors(deps).work.sweep(DAY_MS);
  const workers = startWorkers(
    {
      redisUrl,
      dockHost: deps.config.dockHost,
      mediaQueuePrefix: s.queuePrefix,
      attempts: s.attempts,
      backoffMs: s.backoffMs,
      concurrency: { 'media-probe': s.concurrency.probe, 'media-transcode': s.concurrency.transcode, 'media-thumbnails': s.concurrency.thumbnails, 'media-publish': s.concurrency.publish },
      lockDurationMs: s.lockDurationMs,
      // A dead worker's job is taken again within about two lock periods.
      stalledIntervalMs: Math.min(30_000, s.lockDurationMs),
      log: deps.log,
      observer: deps.admin.metrics,
    },
    buildProcessors(deps),
    finalFailureHandler(deps),
  );
  try {
    const queued = await queueAwaitingMedia(deps);
    deps.log.info({ swept, queued, queuePrefix: s.queuePrefix }, 'media workers started');
  } catch (error) {
    await workers.close(0);
    throw error;
  }
  return workers;
}
