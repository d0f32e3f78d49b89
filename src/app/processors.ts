import type { JobName, JobPayloads } from '../domain/jobs.ts';
import type { FinalFailureHandler, ProcessorTable } from '../ports/jobs.ts';
import type { AppDeps } from './deps.ts';
import { scanDeviceProcessor } from './scan-device.ts';
import { secureFileProcessor } from './secure-file.ts';
import { settleSession } from './session.ts';

/** One processor per job name (the worker adapter checks the table complete before it starts). */
export function buildProcessors(deps: AppDeps): ProcessorTable {
  return {
    'scan-device': scanDeviceProcessor(deps),
    'secure-file': secureFileProcessor(deps),
  };
}

/** A job that will not run again leaves its reason on what it worked on, so nothing fails silently. */
export function finalFailureHandler(deps: AppDeps): FinalFailureHandler {
  const { catalog, clock, config } = deps;
  return async <N extends JobName>(name: N, payload: JobPayloads[N], reason: string) => {
    deps.log.error({ job: name, sessionId: payload.sessionId, reason }, 'job failed for good');
    if (name === 'scan-device') {
      await catalog.setSessionState(payload.sessionId, 'attention', `scan failed: ${reason}`, clock.now());
      return;
    }
    const p = payload as JobPayloads['secure-file'];
    await catalog.markSessionFile(p.sessionId, p.relPath, 'failed', reason);
    await catalog.addCustodyEvents([
      { type: 'secure-failed', at: clock.now(), actor: config.dockHost, itemId: null, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: p.relPath, details: { reason } },
    ]);
    await settleSession(catalog, clock, p.sessionId);
  };
}
