import { startWorkers } from '../../adapters/bullmq-jobs.ts';
import { queueAwaitingMedia } from '../../app/media/awaiting-media.ts';
import { mediaProcessors } from '../../app/media/processors.ts';
import { yieldMediaToDocking } from '../../app/media/yield-to-docking.ts';
import { buildProcessors, finalFailureHandler } from '../../app/processors.ts';
import type { Workers } from '../../ports/jobs.ts';
import type { System } from '../compose.ts';
import type { RunningRole } from './role.ts';

const DAY_MS = 24 * 3600_000;

/**
 * The media workers: one BullMQ worker per media stage, sized by `media.concurrency`. At start it clears
 * what a killed worker left on this host and queues media work that was never queued (a secure whose
 * queueing failed, items secured before this host had the worker role).
 */
export async function startMediaWorkers(system: System): Promise<Workers> {
  const { config, log } = system;
  const s = config.media;
  const swept = await mediaProcessors(system).work.sweep(DAY_MS);
  const workers = startWorkers(
    {
      redisUrl: system.endpoints.redisUrl,
      dockHost: config.dockHost,
      mediaQueuePrefix: s.queuePrefix,
      attempts: s.attempts,
      backoffMs: s.backoffMs,
      concurrency: { 'media-probe': s.concurrency.probe, 'media-transcode': s.concurrency.transcode, 'media-thumbnails': s.concurrency.thumbnails, 'media-publish': s.concurrency.publish },
      lockDurationMs: s.lockDurationMs,
      // A dead worker's job is taken again within about two lock periods.
      stalledIntervalMs: Math.min(30_000, s.lockDurationMs),
      log,
      observer: system.admin.metrics,
    },
    buildProcessors(system),
    finalFailureHandler(system),
  );
  try {
    const queued = await queueAwaitingMedia(system);
    log.info({ swept, queued, queuePrefix: s.queuePrefix }, 'media workers started');
  } catch (error) {
    await workers.close(0);
    throw error;
  }
  return workers;
}

/** The worker role takes the media stages (probe, transcode, thumbnails, publish), from any host. */
export async function startWorkerRole(system: System): Promise<RunningRole> {
  const workers = await startMediaWorkers(system);
  const { config } = system;
  // With the dock role beside it, media work gives way to securing; stopping that comes first, so it cannot resume paused workers.
  const stopYielding = config.roles.includes('dock') && config.media.yieldToDocking ? yieldMediaToDocking(system, workers) : () => undefined;
  return { name: 'worker', workers: [workers], stopIntake: async () => stopYielding() };
}
