import type { LockMode, ObjectListing, ObjectLock, ObjectVersion } from '../../ports/object-lock.ts';
import type { StoredObject } from '../../ports/object-store.ts';
import { BucketError, type MemoryBucket } from './memory-bucket.ts';

/** Object lock and listing on a memory bucket; same port and same refusals as MinioObjectLock. */
export class MemoryObjectLock implements ObjectLock, ObjectListing {
  constructor(private readonly bucket: MemoryBucket) {}

  async retain(ref: StoredObject, mode: LockMode, until: Date): Promise<void> {
    this.bucket.putRetention(ref.key, ref.versionId, mode, until);
  }

  async retention(ref: StoredObject): Promise<{ mode: LockMode; until: Date } | null> {
    const { retention } = this.bucket.find(ref.key, ref.versionId);
    return retention ? { mode: retention.mode, until: new Date(retention.until) } : null;
  }

  async setLegalHold(ref: StoredObject, on: boolean): Promise<void> {
    this.bucket.find(ref.key, ref.versionId).legalHold = on;
  }

  async legalHold(ref: StoredObject): Promise<boolean> {
    return this.bucket.find(ref.key, ref.versionId).legalHold;
  }

  async putLocked(key: string, body: Buffer, lock: { mode: LockMode; until: Date; contentType: string }): Promise<StoredObject> {
    if (lock.until.getTime() <= this.bucket.clock.now().getTime()) throw new BucketError('InvalidRequest', `putLocked ${key}: retain-until ${lock.until.toISOString()} must be in the future`);
    const version = this.bucket.add(key, Buffer.from(body), { contentType: lock.contentType, retention: { mode: lock.mode, until: new Date(lock.until) } });
    return { key, versionId: version.versionId };
  }

  async *keys(prefix: string): AsyncIterable<string> {
    yield* this.bucket.liveKeys(prefix);
  }

  async versions(key: string): Promise<ObjectVersion[]> {
    return this.bucket.versionsOf(key).map((v, i) => ({ versionId: v.versionId, isLatest: i === 0, isDeleteMarker: v.data === null }));
  }
}
