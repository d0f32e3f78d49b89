import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { access, lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { custodyEvent } from '../../domain/custody.ts';
import type { WipeDevicePayload } from '../../domain/jobs.ts';
import type { WipeCandidate } from '../../ports/docks.ts';
import type { EvidenceLocks } from '../../ports/evidence-locks.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import type { DockDeps } from './deps.ts';
import { deviceStillThere } from './device-presence.ts';
import { finishSession } from './session.ts';

const PROGRESS_EVERY = 100;
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/** Reads an item's locks back from the store once per job (duplicates share an item). */
function lockReader(locks: Pick<EvidenceLocks, 'isProtected'>): (itemId: string) => Promise<boolean> {
  const read = new Map<string, Promise<boolean>>();
  return (itemId) => {
    if (!read.has(itemId)) read.set(itemId, locks.isProtected(itemId));
    return read.get(itemId)!;
  };
}

/** Whether the file on the device is still the one whose bytes were read and verified. */
const unchanged = (now: Stats | null, file: WipeCandidate): now is Stats =>
  now !== null && now.isFile() && now.size === file.size && Math.trunc(now.mtimeMs) === Math.trunc(file.mtimeMs);

/**
 * Deletes from the device the files whose stored copy was verified (secured, or found identical to an
 * item already stored) and whose item the store shows locked now (original and manifest, read back just
 * before the delete), one custody event per file, and nothing else: files not taken, files that failed,
 * a file changed since it was read, and a file whose item is not shown locked stay. A read-only device is not wiped (the reason is recorded);
 * its files are secured all the same. Then the session ends as its files say (secured or attention).
 */
export function wipeDeviceProcessor(deps: Pick<DockDeps, 'catalog' | 'docks' | 'queues' | 'locks' | 'clock' | 'config' | 'log'>): Processor<'wipe-device'> {
  const { catalog, docks, locks, clock, config, log } = deps;
  return async (p: WipeDevicePayload, ctx: JobContext) => {
    const progress = await catalog.sessionProgress(p.sessionId);
    if (!progress || progress.state !== 'wiping') return { outcome: 'not-wiping', state: progress?.state ?? null };
    const finish = async (state: 'done' | 'refused' | 'failed', reason: string | null, deleted: number) => {
      await docks.setWipe(p.sessionId, state, reason);
      if (state !== 'done') log.warn({ sessionId: p.sessionId, deviceSerial: p.deviceSerial, reason }, 'device not wiped');
      await finishSession(deps, progress);
      return { outcome: state, deleted, reason };
    };
    const refuse = async (reason: string, deleted: number) => {
      await catalog.addCustodyEvents([custodyEvent('wipe-refused', clock.now(), config.dockHost, { sessionId: p.sessionId, deviceSerial: p.deviceSerial }, { reason, deleted })]);
      return finish('refused', reason, deleted);
    };

    if (!(await deviceStillThere(p.mountPath, p.deviceDev))) return finish('failed', 'the device was removed before it could be wiped; its files are secured', 0);
    const dock = await docks.dockDetails(p.sessionId);
    const writable = await access(p.mountPath, constants.W_OK).then(() => null, (e: NodeJS.ErrnoException) => e.code ?? e.message);
    if (dock?.readOnly || writable) {
      return refuse(`the device is read-only (${dock?.readOnly ? 'mounted read-only' : writable}): nothing was deleted from it; every file on it is secured`, 0);
    }

    await docks.setWipe(p.sessionId, 'running', null);
    let deleted = 0;
    const candidates = await docks.wipeCandidates(p.sessionId);
    const isProtected = lockReader(locks);
    for (const file of candidates) {
      ctx.signal.throwIfAborted();
      const path = join(p.mountPath, file.relPath);
      const now = await lstat(path).catch(() => null);
      const removed = () => finish('failed', `the device was removed while it was wiped (${deleted} of ${candidates.length} files deleted); its files are secured`, deleted);
      if (now === null && !(await deviceStillThere(p.mountPath, p.deviceDev))) return removed();
      // Only this job deletes during a wiping session: a file missing on a retry was deleted by an
      // earlier attempt that failed before writing its event, which is written now.
      const deletedBefore = now === null && ctx.attempt > 1;
      // Otherwise, gone already or not the bytes that were verified: not ours to delete.
      if (!deletedBefore && !unchanged(now, file)) continue;
      if (!deletedBefore && !(await isProtected(file.itemId))) {
        log.error({ sessionId: p.sessionId, deviceSerial: p.deviceSerial, relPath: file.relPath, itemId: file.itemId }, 'not wiped: the store does not show its item locked');
        continue;
      }
      if (!deletedBefore) {
        try {
          await unlink(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? '';
          if (READ_ONLY.has(code)) return refuse(`the device refused deletion (${code}) after ${deleted} files: the rest stay on it; every file on it is secured`, deleted);
          if (!(await deviceStillThere(p.mountPath, p.deviceDev))) return removed();
          throw error;
        }
      }
      deleted += 1;
      await docks.recordWiped(p.sessionId, file.relPath, custodyEvent('file-wiped', clock.now(), config.dockHost,
        { itemId: file.itemId, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: file.relPath },
        { size: file.size, reason: 'stored copy verified and locked; the device model wipes after-verified', ...(deletedBefore ? { deletedByEarlierAttempt: true } : {}) }));
      if (deleted % PROGRESS_EVERY === 0) await ctx.progress({ deleted, of: candidates.length });
    }
    return finish('done', null, deleted);
  };
}
