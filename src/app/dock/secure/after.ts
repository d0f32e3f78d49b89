import type { SecureFilePayload } from '../../../domain/jobs.ts';
import type { MediaFlows } from '../../../ports/media-flows.ts';
import type { DockDeps } from '../deps.ts';
import type { Tagging } from '../../tagging/tagging.ts';
import { settleSession } from '../session.ts';

/** What the secure step works with. */
export type SecureDeps = Pick<DockDeps, 'catalog' | 'docks' | 'store' | 'queues' | 'locks' | 'probe' | 'clock' | 'config' | 'log'> & {
  tagging: Pick<Tagging, 'itemSecured'>;
  media: { flows: Pick<MediaFlows, 'probe'> };
};

/**
 * Locks the file's item (locking only extends), then reads both objects' locks back from the store and
 * only then records the file protected: "safe to undock" and the wipe count only such files. A lock the
 * store does not show fails the job, which retries it.
 */
export async function protectFile(deps: Pick<DockDeps, 'locks' | 'catalog' | 'clock' | 'config'>, p: SecureFilePayload, itemId: string): Promise<void> {
  await deps.locks.protectItem(itemId, deps.config.dockHost);
  if (!(await deps.locks.isProtected(itemId))) {
    throw new Error(`item ${itemId} (${p.relPath}) is not shown locked by the store after locking it; it is locked again on retry`);
  }
  await deps.catalog.markFileProtected(p.sessionId, p.relPath, deps.clock.now());
}

/**
 * After a file has its item, on the first attempt and on every retry: protect it, tag a newly secured one
 * (tags from what the device says: read now, while the device is surely docked), and settle the session.
 */
export async function afterRecorded(deps: SecureDeps, p: SecureFilePayload, itemId: string, secured: boolean): Promise<void> {
  await protectFile(deps, p, itemId);
  if (secured) await deps.tagging.itemSecured(itemId, { serial: p.deviceSerial, mountPath: p.mountPath, relPath: p.relPath }, deps.config.dockHost);
  await settleSession(deps, p.sessionId);
}

/**
 * Media work runs later on any worker and never holds up "safe to undock" (settled before). Work that fails
 * to queue here is queued when a media worker next starts (it looks for unsettled items).
 */
export async function queueMediaWork(deps: SecureDeps, item: { id: string; sha256: string }): Promise<void> {
  await deps.media.flows.probe({ itemId: item.id, sha256: item.sha256 })
    .catch((err: unknown) => deps.log.warn({ err, itemId: item.id }, 'media work not queued; the next media worker start queues it'));
}
