import type { JobName, JobPayloads, MediaJobName, MediaJobPayload } from '../domain/jobs.ts';
import { custodyEvent } from '../domain/custody.ts';
import type { FinalFailure, FinalFailureHandler, FinalFailureTable, ProcessorTable } from '../ports/jobs.ts';
import { adminFinalFailures, adminProcessors } from './admin/processors.ts';
import type { AdminDeps } from './admin/deps.ts';
import type { DockDeps } from './dock/deps.ts';
import type { MediaDeps } from './media/deps.ts';
import { mediaProcessors } from './media/processors.ts';
import { scanDeviceProcessor } from './dock/scan.ts';
import { secureFileProcessor } from './dock/secure.ts';
import { endSession } from './dock/bays.ts';
import { finishSession, settleSession } from './dock/session.ts';
import { wipeDeviceProcessor } from './dock/wipe.ts';

/** What every processor together works with: each feature's dependencies. */
export type ProcessorDeps = DockDeps & MediaDeps & AdminDeps;

/** One processor per job name (the worker adapter checks the table complete before it starts). */
export function buildProcessors(deps: ProcessorDeps): ProcessorTable {
  return {
    'scan-device': scanDeviceProcessor(deps),
    'secure-file': secureFileProcessor(deps),
    'wipe-device': wipeDeviceProcessor(deps),
    ...mediaProcessors(deps).processors,
    ...adminProcessors(deps),
  };
}

/** A job that will not run again leaves its reason on what it worked on, so nothing fails silently. */
export function finalFailures(deps: ProcessorDeps): FinalFailureTable {
  const { catalog, clock, config } = deps;
  const media = mediaProcessors(deps).onFinalFailure;
  const mediaRow =
    <N extends MediaJobName>(name: N): FinalFailure<N> =>
    async (p: MediaJobPayload, reason, permanent) => {
      // Unplayable media is an outcome, not a fault: one warning, no stack.
      deps.log[permanent ? 'warn' : 'error']({ job: name, itemId: p.itemId, sha256: p.sha256, reason, permanent }, 'media job failed for good');
      await media(name, p, reason, permanent);
    };
  const dockLog = (job: JobName, sessionId: string, reason: string) => deps.log.error({ job, sessionId, reason }, 'job failed for good');
  return {
    'scan-device': async ({ sessionId }, reason) => {
      dockLog('scan-device', sessionId, reason);
      await endSession(deps, sessionId, 'attention', `scan failed: ${reason}`);
    },
    'secure-file': async (p, reason) => {
      dockLog('secure-file', p.sessionId, reason);
      await catalog.markSessionFile(p.sessionId, p.relPath, 'failed', reason);
      await catalog.addCustodyEvents([
        custodyEvent('secure-failed', clock.now(), config.dockHost, { sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: p.relPath }, { reason }),
      ]);
      await settleSession(deps, p.sessionId);
    },
    'wipe-device': async ({ sessionId }, reason) => {
      dockLog('wipe-device', sessionId, reason);
      // Every file was secured before the wipe began: the session ends as its files say.
      await deps.docks.setWipe(sessionId, 'failed', reason);
      const progress = await catalog.sessionProgress(sessionId);
      if (progress?.state === 'wiping') await finishSession(deps, progress);
    },
    'media-probe': mediaRow('media-probe'),
    'media-transcode': mediaRow('media-transcode'),
    'media-thumbnails': mediaRow('media-thumbnails'),
    'media-publish': mediaRow('media-publish'),
    ...adminFinalFailures(deps),
  };
}

/** The worker adapter's handler: the row of the job's name. */
export function finalFailureHandler(deps: ProcessorDeps): FinalFailureHandler {
  const table = finalFailures(deps);
  return async <N extends JobName>(name: N, payload: JobPayloads[N], reason: string, permanent: boolean) => table[name](payload, reason, permanent);
}
