import { createHash } from 'node:crypto';
import type * as Minio from 'minio';
import type { ObjectLock, ObjectListing, LockMode, ObjectVersion } from '../ports/object-lock.ts';
import type { StoredObject } from '../ports/object-store.ts';

const versionOpt = (ref: StoredObject) => (ref.versionId ? { versionId: ref.versionId } : undefined);

/** Object lock and listing on the evidence bucket, over the object store's MinIO client. */
export class MinioObjectLock implements ObjectLock, ObjectListing {
  constructor(
    private readonly client: Minio.Client,
    private readonly bucket: string,
  ) {}

  async retain(ref: StoredObject, mode: LockMode, until: Date): Promise<void> {
    await this.client.putObjectRetention(this.bucket, ref.key, { ...versionOpt(ref), mode, retainUntilDate: until.toISOString() } as Minio.Retention);
  }

  async retention(ref: StoredObject): Promise<{ mode: LockMode; until: Date } | null> {
    const info = await this.client.getObjectRetention(this.bucket, ref.key, versionOpt(ref)).catch((error: { code?: string }) => {
      if (error.code === 'NoSuchObjectLockConfiguration') return null;
      throw error;
    });
    return info?.mode && info.retainUntilDate ? { mode: info.mode as LockMode, until: new Date(info.retainUntilDate) } : null;
  }

  async setLegalHold(ref: StoredObject, on: boolean): Promise<void> {
    await this.client.setObjectLegalHold(this.bucket, ref.key, { ...versionOpt(ref), status: on ? 'ON' : 'OFF' });
  }

  async legalHold(ref: StoredObject): Promise<boolean> {
    const status: unknown = await this.client.getObjectLegalHold(this.bucket, ref.key, versionOpt(ref)).catch((error: { code?: string }) => {
      if (error.code === 'NoSuchObjectLockConfiguration') return null;
      throw error;
    });
    // minio-js is typed to answer "ON"/"OFF" but hands back the parsed XML element, { Status: "ON" }.
    return status === 'ON' || (status as { Status?: string } | null)?.Status === 'ON';
  }

  async putLocked(key: string, body: Buffer, lock: { mode: LockMode; until: Date; contentType: string }): Promise<StoredObject | null> {
    // Through makeRequestAsync: minio-js's putObject renames x-amz-object-lock-* headers to user metadata
    // (X-Amz-Meta-…), which left seals unlocked. S3 requires Content-MD5 on a PUT that carries lock settings;
    // If-None-Match makes the write create-only, so a second writer gets 412 instead of a second version.
    try {
      const response = await this.client.makeRequestAsync({
        method: 'PUT',
        bucketName: this.bucket,
        objectName: key,
        headers: {
          'Content-Type': lock.contentType,
          'Content-Length': String(body.length),
          'Content-MD5': createHash('md5').update(body).digest('base64'),
          'If-None-Match': '*',
          'x-amz-object-lock-mode': lock.mode,
          'x-amz-object-lock-retain-until-date': lock.until.toISOString(),
        },
      }, body);
      response.resume();
      const versionId = response.headers['x-amz-version-id'];
      return { key, versionId: typeof versionId === 'string' ? versionId : null };
    } catch (error) {
      if ((error as { code?: string }).code === 'PreconditionFailed') return null;
      throw error;
    }
  }

  async *keys(prefix: string): AsyncIterable<string> {
    for await (const entry of this.client.listObjectsV2(this.bucket, prefix, true)) {
      if (entry.name) yield entry.name;
    }
  }

  async versions(key: string): Promise<ObjectVersion[]> {
    const found: Array<ObjectVersion & { modifiedMs: number }> = [];
    for await (const entry of this.client.listObjects(this.bucket, key, false, { IncludeVersion: true })) {
      const e = entry as { name?: string; versionId?: string; isLatest?: boolean; isDeleteMarker?: boolean; lastModified?: Date };
      if (e.name !== key) continue;
      found.push({ versionId: e.versionId ?? null, isLatest: Boolean(e.isLatest), isDeleteMarker: Boolean(e.isDeleteMarker), modifiedMs: e.lastModified?.getTime() ?? 0 });
    }
    // The listing gives versions and delete markers as two runs, each newest first: merge them.
    found.sort((a, b) => Number(b.isLatest) - Number(a.isLatest) || b.modifiedMs - a.modifiedMs);
    return found.map(({ modifiedMs: _, ...version }) => version);
  }
}
