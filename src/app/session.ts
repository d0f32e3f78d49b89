import type { Catalog } from '../ports/catalog.ts';
import type { Clock } from '../ports/clock.ts';

/**
 * Ends a securing session once every media file has an outcome: `secured` (safe to undock)
 * when all are stored and verified, `attention` naming how many could not be.
 * Safe to call from several finishing jobs at once: it only ever moves forward.
 */
export async function settleSession(catalog: Catalog, clock: Clock, sessionId: string): Promise<void> {
  if (await catalog.hasPendingFiles(sessionId)) return;
  const progress = await catalog.sessionProgress(sessionId);
  if (!progress || progress.state !== 'securing' || progress.filesDone < progress.filesTotal) return;
  if (progress.filesFailed === 0) {
    await catalog.setSessionState(sessionId, 'secured', null, clock.now());
  } else {
    await catalog.setSessionState(sessionId, 'attention', `${progress.filesFailed} of ${progress.filesTotal} files could not be secured; see the session's custody events`, clock.now());
  }
}
