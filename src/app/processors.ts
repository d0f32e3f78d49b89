import { isMediaJob, type JobName, type JobPayloads, type MediaJobPayload } from '../domain/jobs.ts';
import type { FinalFailureHandler, ProcessorTable } from '../ports/jobs.ts';
import { adminFinalFailure, adminProcessors, isAdminJob } from './admin/processors.ts';
import type { AppDeps } from './deps.ts';
import { mediaProcessors } from './media/processors.ts';
import { scanDeviceProcessor } from './dock/scan.ts';
import { secureFileProcessor } from './dock/secure.ts';
import { endSession } from './dock/bays.ts';
import { finishSession, settleSession } from './dock/session.ts';
import { wipeDeviceProcessor } from './dock/wipe.ts';

/** One processor per job name (the worker adapter checks the table complete before it starts). */
export function buildProcessors(deps: AppDeps): ProcessorTable {
  return {
    'scan-device': scanDeviceProcessor(deps),
    'secure-file': secureFileProcessor(deps),
    'wipe-device': wipeDeviceProcessor(deps),
    ...mediaProcessors(deps).processors,
    ...adminProcessors(deps),
  };
}

/** A job that will not run again leaves its reason on what it worked on, so nothing fails silently. */
export function finalFailureHandler(deps: AppDeps): FinalFailureHandler {
  const { catalog, clock, config } = deps;
  const media = mediaProcessors(deps);
  return async <N extends JobName>(name: N, payload: JobPayloads[N], reason: string, permanent: boolean) => {
    if (isMediaJob(name)) {
      const p = payload as MediaJobPayload;
      // Unplayable media is an outcome, not a fault: one warning, no stack.
      deps.log[permanent ? 'warn' : 'error']({ job: name, itemId: p.itemId, sha256: p.sha256, reason, permanent }, 'media job failed for good');
      await media.onFinalFailure(name, p, reason, permanent);
      return;
    }
    if (isAdminJob(name)) return adminFinalFailure(deps, name, payload as JobPayloads[typeof name], reason);
    const sessionId = (payload as JobPayloads['scan-device' | 'secure-file' | 'wipe-device']).sessionId;
    deps.log.error({ job: name, sessionId, reason }, 'job failed for good');
    if (name === 'scan-device') {
      await endSession(deps, sessionId, 'attention', `scan failed: ${reason}`);
      return;
    }
    if (name === 'wipe-device') {
      // Every file was secured before the wipe began: the session ends as its files say.
      await deps.docks.setWipe(sessionId, 'failed', reason);
      const progress = await catalog.sessionProgress(sessionId);
      if (progress?.state === 'wiping') await finishSession(deps, progress);
      return;
    }
    const p = payload as JobPayloads['secure-file'];
    await catalog.markSessionFile(p.sessionId, p.relPath, 'failed', reason);
    await catalog.addCustodyEvents([
      { type: 'secure-failed', at: clock.now(), actor: config.dockHost, itemId: null, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: p.relPath, details: { reason } },
    ]);
    await settleSession(deps, p.sessionId);
  };
}
