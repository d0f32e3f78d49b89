import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustodyEvent, CustodyEventType } from '../../domain/custody.ts';
import { PermanentError } from '../../domain/errors.ts';
import { buildManifest, type EvidenceItem, itemKeys, originalMetadata } from '../../domain/evidence.ts';
import type { SecureFilePayload } from '../../domain/jobs.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import { interruptSession, isEnded } from './bays.ts';
import type { DockDeps } from './deps.ts';
import { deviceStillThere } from './device-presence.ts';
import { hashingTee, hashOf } from '../hashing.ts';
import { settleSession } from './session.ts';

const READ_CHUNK = 1 << 20;

async function statOnDevice(path: string) {
  try {
    const st = await lstat(path);
    if (!st.isFile()) throw new PermanentError(`${path} is no longer a regular file`, 'not-a-file');
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PermanentError(`${path} vanished from the device before it was secured; dock the device again to secure it`, 'file-vanished');
    }
    throw error;
  }
}

/**
 * Secures one file: a single read of the device feeds both the SHA-256 and the upload; the stored
 * object is then read back and hashed (verification by read-back: it checks the bytes as MinIO
 * stores and serves them, whatever the upload path did), and only then is the item recorded.
 */
export function secureFileProcessor(deps: DockDeps): Processor<'secure-file'> {
  const { catalog, store, clock, config } = deps;
  const actor = config.dockHost;

  const secure = async (p: SecureFilePayload, ctx: JobContext) => {
    const event = (type: CustodyEventType, details: Record<string, unknown>, itemId: string | null = null): CustodyEvent => ({
      type, at: clock.now(), actor, itemId, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: p.relPath, details,
    });

    // Load and guard: a retry after the outcome was recorded has nothing left to do.
    const recorded = await catalog.sessionFile(p.sessionId, p.relPath);
    if (!recorded) throw new PermanentError(`session ${p.sessionId} has no file ${p.relPath}`, 'unknown-session-file');
    if (recorded.state !== 'pending') {
      // A crash between recording and locking leaves the item unlocked: the retry locks it (locking only extends).
      if (recorded.state === 'secured' && recorded.itemId) {
        await deps.locks.protectItem(recorded.itemId, actor);
        await deps.tagging.itemSecured(recorded.itemId, { serial: p.deviceSerial, mountPath: p.mountPath, relPath: p.relPath }, actor);
      }
      return { outcome: 'already-recorded', state: recorded.state, itemId: recorded.itemId };
    }
    // The session ended (its device left): the file is the next dock's, even if the same device is back.
    const session = await deps.docks.dockDetails(p.sessionId);
    if (session && isEnded(session.state)) return { outcome: 'session-ended', state: session.state };

    const path = join(p.mountPath, p.relPath);
    const before = await statOnDevice(path);

    // The same device file docked again: one hash pass proves it unchanged, and no upload is needed.
    const known = await catalog.findDeviceFile(p.deviceSerial, p.relPath, before.size, before.mtimeMs);
    if (known) {
      const digest = await hashOf(createReadStream(path, { highWaterMark: READ_CHUNK, signal: ctx.signal }));
      if (digest.sha256 === known.sha256) {
        await catalog.recordDuplicate({
          itemId: known.itemId, sessionId: p.sessionId, deviceSerial: p.deviceSerial, relPath: p.relPath, size: before.size, mtimeMs: before.mtimeMs,
          events: [event('redocked', { sha256: digest.sha256 }, known.itemId)],
        });
        await settleSession(deps, p.sessionId);
        return { outcome: 'redocked', itemId: known.itemId, sha256: digest.sha256 };
      }
    }

    // ffprobe reads only the container header; it runs while the upload does. Photos carry EXIF, not
    // container tags: the media stage reads that.
    const probing = p.kind === 'photo' ? Promise.resolve(null) : deps.probe.captureTime(path, ctx.signal).catch(() => null);
    const keys = itemKeys(p.itemId, p.relPath);

    // Act: one read pass, hashing while uploading.
    const tee = hashingTee(createReadStream(path, { highWaterMark: READ_CHUNK }));
    const uploaded = await store.put(keys.original, tee.stream, {
      metadata: { 'evidence-id': p.itemId, device: p.deviceSerial, sha256: 'pending' },
      signal: ctx.signal,
    });
    const digest = await tee.digest;
    const discard = () => store.discardUnreferenced(keys.original, uploaded.versionId);

    const after = await statOnDevice(path).catch(async (error: unknown) => {
      await discard();
      throw error;
    });
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || digest.size !== before.size) {
      await discard();
      // Transient: a recorder still writing (or a copy in progress) settles; the retry reads it again.
      throw new Error(`${path} changed while it was read (size ${before.size} → ${after.size}); it will be read again`);
    }
    const hashed = event('hashed', { sha256: digest.sha256, size: digest.size });

    const existing = await catalog.findItemBySha256(digest.sha256);
    if (existing) {
      await discard();
      await catalog.recordDuplicate({
        itemId: existing.id, sessionId: p.sessionId, deviceSerial: p.deviceSerial, relPath: p.relPath, size: before.size, mtimeMs: before.mtimeMs,
        events: [{ ...hashed, itemId: existing.id }, event('duplicate-content', { sha256: digest.sha256, firstDevice: existing.deviceSerial, firstPath: existing.originalPath }, existing.id)],
      });
      await settleSession(deps, p.sessionId);
      return { outcome: 'duplicate', itemId: existing.id, sha256: digest.sha256 };
    }

    const captured = await probing;
    const capturedAt = captured ?? new Date(before.mtimeMs);
    const final = await store.replaceMetadata(keys.original, originalMetadata({ id: p.itemId, deviceSerial: p.deviceSerial, capturedAt, sha256: digest.sha256 }));
    const readBack = await hashOf(await store.read(keys.original, final.versionId, ctx.signal));
    if (readBack.sha256 !== digest.sha256 || readBack.size !== digest.size) {
      await discard();
      if (final.versionId !== uploaded.versionId) await store.discardUnreferenced(keys.original, final.versionId);
      throw new Error(`stored copy of ${path} does not match the device (sha256 ${readBack.sha256} ≠ ${digest.sha256}); it will be stored again`);
    }

    const securedAt = clock.now();
    const item: EvidenceItem = {
      id: p.itemId, sha256: digest.sha256, size: digest.size, kind: p.kind, deviceSerial: p.deviceSerial, originalPath: p.relPath,
      officerId: await catalog.officerOnDevice(p.deviceSerial, capturedAt),
      caseId: null, category: null, phase: null,
      capturedAt, capturedAtSource: captured ? 'container' : 'mtime', securedAt, status: 'secured', sessionId: p.sessionId,
      objects: { original: keys.original, originalVersion: final.versionId, manifest: keys.manifest },
    };
    const manifest = await store.put(keys.manifest, Buffer.from(JSON.stringify(buildManifest(item, actor, new Date(before.mtimeMs)), null, 2)), {
      contentType: 'application/json',
      metadata: { 'evidence-id': item.id, sha256: item.sha256 },
    });

    // Persist: item, device-file link, session file and custody events in one transaction.
    const outcome = await catalog.recordSecured({
      item,
      mtimeMs: before.mtimeMs,
      events: [
        { ...hashed, itemId: item.id },
        event('stored', { key: keys.original, versionId: final.versionId, bucketKeyOfManifest: keys.manifest }, item.id),
        event('verified', { method: 'read-back', sha256: readBack.sha256, size: readBack.size }, item.id),
        event('manifest-written', { key: keys.manifest, versionId: manifest.versionId }, item.id),
      ],
    });
    if (outcome === 'conflict') {
      // The same bytes were secured by a concurrent job between our lookup and insert: keep theirs.
      await discard();
      await store.discardUnreferenced(keys.manifest, manifest.versionId);
      throw new Error(`content of ${path} was stored concurrently by another job; recording it as a duplicate on retry`);
    }
    // Locked only once verified and recorded (until then an upload must stay discardable), before "safe to undock".
    await deps.locks.protectItem(item.id, actor);
    // Tags (officer, activity match, what the device says: read now, while the device is surely docked).
    await deps.tagging.itemSecured(item.id, { serial: p.deviceSerial, mountPath: p.mountPath, relPath: p.relPath }, actor);
    await settleSession(deps, p.sessionId);
    // Media work runs later on any worker and never holds up "safe to undock" (settled above). Work that
    // fails to queue here is queued when a media worker next starts (it looks for unsettled items).
    await deps.media.flows.probe({ itemId: item.id, sha256: item.sha256 })
      .catch((err: unknown) => deps.log.warn({ err, itemId: item.id }, 'media work not queued; the next media worker start queues it'));
    return { outcome: 'secured', itemId: item.id, sha256: item.sha256, size: item.size };
  };

  return async (p: SecureFilePayload, ctx: JobContext) => {
    try {
      return await secure(p, ctx);
    } catch (error) {
      // A device pulled mid-file fails the read (the upload in flight is aborted) or the checks after it
      // (an upload already made is discarded): the file stays pending, the session is interrupted, and
      // the next dock secures it. A file already recorded keeps its retry (its item may still need its lock).
      const file = await catalog.sessionFile(p.sessionId, p.relPath);
      if (file?.state !== 'pending' || (await deviceStillThere(p.mountPath, p.deviceDev))) throw error;
      await interruptSession(deps, { sessionId: p.sessionId, deviceSerial: p.deviceSerial, mountPath: p.mountPath },
        `device removed while ${p.relPath} was read; dock it again to secure what is missing`);
      return { outcome: 'device-gone', error: (error as Error).message };
    }
  };
}
