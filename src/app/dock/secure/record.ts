import { custodyEvent, type CustodyEvent, type CustodyEventType } from '../../../domain/custody.ts';
import { buildManifest, type EvidenceItem, itemKeys } from '../../../domain/evidence.ts';
import type { SecureFilePayload } from '../../../domain/jobs.ts';
import type { StoredObject } from '../../../ports/object-store.ts';
import type { DockDeps } from '../deps.ts';
import type { Digest } from '../../hashing.ts';
import type { DeviceFileStat } from './guard.ts';
import type { Upload } from './upload.ts';

type RecordDeps = Pick<DockDeps, 'catalog' | 'store' | 'clock' | 'config'>;

/** Custody events about this job's file, by the dock host. */
export function fileEvents(deps: Pick<DockDeps, 'clock' | 'config'>, p: SecureFilePayload) {
  return (type: CustodyEventType, details: Record<string, unknown>, itemId: string | null = null): CustodyEvent =>
    custodyEvent(type, deps.clock.now(), deps.config.dockHost, { itemId, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath: p.relPath }, details);
}

/** Persist: the file is an item already (the same device file docked again, or the same bytes); one transaction. */
export async function recordAsDuplicate(deps: Pick<DockDeps, 'catalog'>, p: SecureFilePayload, itemId: string, before: DeviceFileStat, events: CustodyEvent[]): Promise<void> {
  await deps.catalog.recordDuplicate({ itemId, sessionId: p.sessionId, deviceSerial: p.deviceSerial, relPath: p.relPath, size: before.size, mtimeMs: before.mtimeMs, events });
}

export interface VerifiedOriginal {
  before: DeviceFileStat;
  upload: Upload;
  stored: StoredObject;
  readBack: Digest;
  hashed: CustodyEvent;
  captured: Date | null;
}

/**
 * Persist a new item: its manifest is written, then item, device-file link, session file and custody events
 * in one transaction. The same bytes recorded meanwhile by a concurrent job: both uploads are discarded and
 * the retry records the file as a duplicate of theirs.
 */
export async function recordNewItem(deps: RecordDeps, p: SecureFilePayload, v: VerifiedOriginal): Promise<EvidenceItem> {
  const { catalog, store, clock, config } = deps;
  const event = fileEvents(deps, p);
  const keys = itemKeys(p.itemId, p.relPath);
  const capturedAt = v.captured ?? new Date(v.before.mtimeMs);
  const item: EvidenceItem = {
    id: p.itemId, sha256: v.upload.digest.sha256, size: v.upload.digest.size, kind: p.kind, deviceSerial: p.deviceSerial, originalPath: p.relPath,
    officerId: await catalog.officerOnDevice(p.deviceSerial, capturedAt),
    caseId: null, category: null, phase: null,
    capturedAt, capturedAtSource: v.captured ? 'container' : 'mtime', securedAt: clock.now(), status: 'secured', sessionId: p.sessionId,
    objects: { original: keys.original, originalVersion: v.stored.versionId, manifest: keys.manifest },
  };
  const manifest = await store.put(keys.manifest, Buffer.from(JSON.stringify(buildManifest(item, config.dockHost, new Date(v.before.mtimeMs)), null, 2)), {
    contentType: 'application/json',
    metadata: { 'evidence-id': item.id, sha256: item.sha256 },
  });
  const outcome = await catalog.recordSecured({
    item,
    mtimeMs: v.before.mtimeMs,
    events: [
      { ...v.hashed, itemId: item.id },
      event('stored', { key: keys.original, versionId: v.stored.versionId, bucketKeyOfManifest: keys.manifest }, item.id),
      event('verified', { method: 'read-back', sha256: v.readBack.sha256, size: v.readBack.size }, item.id),
      event('manifest-written', { key: keys.manifest, versionId: manifest.versionId }, item.id),
    ],
  });
  if (outcome === 'conflict') {
    await v.upload.discard();
    await store.discardUnreferenced(keys.manifest, manifest.versionId);
    throw new Error(`content of ${p.relPath} was stored concurrently by another job; recording it as a duplicate on retry`);
  }
  return item;
}
