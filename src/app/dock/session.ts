import type { SessionProgress } from '../../ports/catalog.ts';
import { endSession } from './bays.ts';
import type { DockDeps } from './deps.ts';

type SettleDeps = Pick<DockDeps, 'catalog' | 'docks' | 'queues' | 'clock' | 'config' | 'log'>;

/**
 * Settles a securing session once every media file has an outcome. A model that wipes goes to `wiping`
 * first (the wipe job ends the session); otherwise the session ends `secured` (safe to undock) or
 * `attention`. Safe to call from several finishing jobs at once: it only ever moves forward.
 */
export async function settleSession(deps: SettleDeps, sessionId: string): Promise<void> {
  const { catalog, docks, queues, clock } = deps;
  if (await catalog.hasPendingFiles(sessionId)) return;
  const progress = await catalog.sessionProgress(sessionId);
  if (!progress || progress.state !== 'securing' || progress.filesDone < progress.filesTotal) return;
  const dock = await docks.dockDetails(sessionId);
  if (dock?.wipePolicy === 'after-verified') {
    await catalog.setSessionState(sessionId, 'wiping', null, clock.now());
    await queues.add('wipe-device', { sessionId, deviceSerial: progress.deviceSerial, mountPath: progress.mountPath, deviceDev: dock.deviceDev });
    return;
  }
  await finishSession(deps, progress);
}

/** Ends a session whose files all have an outcome: `secured` when every one is stored and verified. */
export async function finishSession(deps: SettleDeps, progress: SessionProgress): Promise<void> {
  const reason = progress.filesFailed === 0 ? null : `${progress.filesFailed} of ${progress.filesTotal} files could not be secured; see the session's custody events`;
  await endSession(deps, progress.id, progress.filesFailed === 0 ? 'secured' : 'attention', reason);
}
