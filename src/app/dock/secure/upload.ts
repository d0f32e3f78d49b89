import { createReadStream } from 'node:fs';
import type { SecureFilePayload } from '../../../domain/jobs.ts';
import { itemKeys, originalMetadata } from '../../../domain/evidence.ts';
import type { StoredObject } from '../../../ports/object-store.ts';
import type { DockDeps } from '../deps.ts';
import { type Digest, hashingTee, hashOf } from '../../hashing.ts';
import { type DeviceFileStat, statOnDevice } from './guard.ts';

export const READ_CHUNK = 1 << 20;

/** An original uploaded from one read of the device, not yet recorded: discardable until it is. */
export interface Upload {
  digest: Digest;
  uploaded: StoredObject;
  /** Removes the uploaded version (nothing refers to it). */
  discard(): Promise<void>;
}

/**
 * Act, first half: one read pass of the device feeds both the SHA-256 and the upload. A file that changed
 * while it was read (a recorder still writing) is discarded and read again on the retry.
 */
export async function uploadOriginal(deps: Pick<DockDeps, 'store'>, p: SecureFilePayload, path: string, before: DeviceFileStat, signal: AbortSignal): Promise<Upload> {
  const { store } = deps;
  const keys = itemKeys(p.itemId, p.relPath);
  const tee = hashingTee(createReadStream(path, { highWaterMark: READ_CHUNK }));
  const uploaded = await store.put(keys.original, tee.stream, { metadata: { 'evidence-id': p.itemId, device: p.deviceSerial, sha256: 'pending' }, signal });
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
  return { digest, uploaded, discard };
}

/**
 * Act, second half: the original gets its final metadata, then is read back from the store and hashed
 * (verification by read-back: it checks the bytes as the store keeps and serves them, whatever the upload
 * path did). A mismatch discards both versions; the retry stores it again.
 */
export async function verifyStored(deps: Pick<DockDeps, 'store'>, p: SecureFilePayload, path: string, upload: Upload, capturedAt: Date, signal: AbortSignal): Promise<{ stored: StoredObject; readBack: Digest }> {
  const { store } = deps;
  const keys = itemKeys(p.itemId, p.relPath);
  const { digest } = upload;
  const stored = await store.replaceMetadata(keys.original, originalMetadata({ id: p.itemId, deviceSerial: p.deviceSerial, capturedAt, sha256: digest.sha256 }));
  const readBack = await hashOf(await store.read(keys.original, stored.versionId, signal));
  if (readBack.sha256 !== digest.sha256 || readBack.size !== digest.size) {
    await upload.discard();
    if (stored.versionId !== upload.uploaded.versionId) await store.discardUnreferenced(keys.original, stored.versionId);
    throw new Error(`stored copy of ${path} does not match the device (sha256 ${readBack.sha256} ≠ ${digest.sha256}); it will be stored again`);
  }
  return { stored, readBack };
}
