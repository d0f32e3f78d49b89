import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { SecureFilePayload } from '../../domain/jobs.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import { hashOf } from '../hashing.ts';
import { interruptSession } from './bays.ts';
import { deviceStillThere } from './device-presence.ts';
import { afterRecorded, queueMediaWork, type SecureDeps } from './secure/after.ts';
import { type DeviceFileStat, guardSecure, statOnDevice } from './secure/guard.ts';
import { fileEvents, recordAsDuplicate, recordNewItem } from './secure/record.ts';
import { READ_CHUNK, uploadOriginal, verifyStored } from './secure/upload.ts';
import { settleSession } from './session.ts';

/** The same device file docked again: one hash pass proves it unchanged, and no upload is needed. */
async function redock(deps: SecureDeps, p: SecureFilePayload, path: string, before: DeviceFileStat, signal: AbortSignal) {
  const known = await deps.catalog.findDeviceFile(p.deviceSerial, p.relPath, before.size, before.mtimeMs);
  if (!known) return null;
  const digest = await hashOf(createReadStream(path, { highWaterMark: READ_CHUNK, signal }));
  if (digest.sha256 !== known.sha256) return null;
  await recordAsDuplicate(deps, p, known.itemId, before, [fileEvents(deps, p)('redocked', { sha256: digest.sha256 }, known.itemId)]);
  // The item may be one whose lock never came (its first securing died after recording it): checked here.
  await afterRecorded(deps, p, known.itemId, false);
  return { outcome: 'redocked', itemId: known.itemId, sha256: digest.sha256 };
}

/**
 * Secures one file: guard, then one read of the device feeds the SHA-256 and the upload; the stored object
 * is read back and hashed, and only then is the item recorded; then it is locked, the locks read back, and
 * the session settled. Every path that ends with the file as an item (new, duplicate, re-docked, or a retry
 * finding it recorded) goes through the same locking and settling.
 */
export function secureFileProcessor(deps: SecureDeps): Processor<'secure-file'> {
  const secure = async (p: SecureFilePayload, ctx: JobContext) => {
    const guard = await guardSecure(deps, p);
    if (guard.step === 'session-ended') return { outcome: 'session-ended', state: guard.state };
    if (guard.step === 'already-recorded') {
      const { state, itemId } = guard.file;
      if ((state === 'secured' || state === 'duplicate') && itemId) await afterRecorded(deps, p, itemId, state === 'secured');
      else await settleSession(deps, p.sessionId);
      return { outcome: 'already-recorded', state, itemId };
    }

    const path = join(p.mountPath, p.relPath);
    const before = await statOnDevice(path);
    const redocked = await redock(deps, p, path, before, ctx.signal);
    if (redocked) return redocked;

    // ffprobe reads only the container header; it runs while the upload does. Photos carry EXIF, not
    // container tags: the media stage reads that.
    const probing = p.kind === 'photo' ? Promise.resolve(null) : deps.probe.captureTime(path, ctx.signal).catch(() => null);
    const upload = await uploadOriginal(deps, p, path, before, ctx.signal);
    const { digest } = upload;
    const event = fileEvents(deps, p);
    const hashed = event('hashed', { sha256: digest.sha256, size: digest.size });

    const existing = await deps.catalog.findItemBySha256(digest.sha256);
    if (existing) {
      await upload.discard();
      await recordAsDuplicate(deps, p, existing.id, before, [
        { ...hashed, itemId: existing.id },
        event('duplicate-content', { sha256: digest.sha256, firstDevice: existing.deviceSerial, firstPath: existing.originalPath }, existing.id),
      ]);
      await afterRecorded(deps, p, existing.id, false);
      return { outcome: 'duplicate', itemId: existing.id, sha256: digest.sha256 };
    }

    const captured = await probing;
    const { stored, readBack } = await verifyStored(deps, p, path, upload, captured ?? new Date(before.mtimeMs), ctx.signal);
    const item = await recordNewItem(deps, p, { before, upload, stored, readBack, hashed, captured });
    // Locked only once verified and recorded (until then an upload must stay discardable), before "safe to undock".
    await afterRecorded(deps, p, item.id, true);
    await queueMediaWork(deps, item);
    return { outcome: 'secured', itemId: item.id, sha256: item.sha256, size: item.size };
  };

  return async (p: SecureFilePayload, ctx: JobContext) => {
    try {
      return await secure(p, ctx);
    } catch (error) {
      // A device pulled mid-file fails the read (the upload in flight is aborted) or the checks after it
      // (an upload already made is discarded): the file stays pending, the session is interrupted, and
      // the next dock secures it. A file already recorded keeps its retry (its item may still need its lock).
      const file = await deps.catalog.sessionFile(p.sessionId, p.relPath);
      if (file?.state !== 'pending' || (await deviceStillThere(p.mountPath, p.deviceDev))) throw error;
      await interruptSession(deps, { sessionId: p.sessionId, deviceSerial: p.deviceSerial, mountPath: p.mountPath },
        `device removed while ${p.relPath} was read; dock it again to secure what is missing`);
      return { outcome: 'device-gone', error: (error as Error).message };
    }
  };
}
