import type { SessionProgress } from '../../ports/catalog.ts';
import type { DockDetails } from '../../ports/docks.ts';
import { endSession } from './bays.ts';
import type { DockDeps } from './deps.ts';
import { moveSession } from './moves.ts';

type SettleDeps = Pick<DockDeps, 'catalog' | 'docks' | 'queues' | 'clock' | 'config' | 'log'>;

/**
 * Settles a securing session once every media file has an outcome and every file with an item was read
 * back protected (a file recorded but not yet locked keeps it from being safe: that file's job, retried,
 * locks it and settles again). A model that wipes goes to `wiping` first (the wipe job ends the session);
 * otherwise the session ends `secured` (safe to undock) or `attention`. Safe to call from several finishing
 * jobs at once, and again at any time: it only ever moves forward, and a session found `wiping` gets its
 * wipe job queued again (one job id per session: queueing it twice is one job).
 */
export async function settleSession(deps: SettleDeps, sessionId: string): Promise<void> {
  const { catalog, docks } = deps;
  if (await catalog.hasPendingFiles(sessionId)) return;
  if ((await catalog.unprotectedFiles(sessionId)) > 0) return;
  const progress = await catalog.sessionProgress(sessionId);
  if (!progress || progress.filesDone < progress.filesTotal) return;
  if (progress.state !== 'securing' && progress.state !== 'wiping') return;
  const dock = await docks.dockDetails(sessionId);
  if (progress.state === 'wiping' || dock?.wipePolicy === 'after-verified') {
    await moveSession(deps, sessionId, 'wiping', null);
    await queueWipe(deps, progress, dock);
    return;
  }
  await finishSession(deps, progress);
}

async function queueWipe(deps: SettleDeps, progress: SessionProgress, dock: DockDetails | null): Promise<void> {
  await deps.queues.add('wipe-device', { sessionId: progress.id, deviceSerial: progress.deviceSerial, mountPath: progress.mountPath, deviceDev: dock?.deviceDev ?? null });
}

/** Ends a session whose files all have an outcome: `secured` when every one is stored and verified. */
export async function finishSession(deps: SettleDeps, progress: SessionProgress): Promise<void> {
  const reason = progress.filesFailed === 0 ? null : `${progress.filesFailed} of ${progress.filesTotal} files could not be secured; see the session's custody events`;
  await endSession(deps, progress.id, progress.filesFailed === 0 ? 'secured' : 'attention', reason);
}
