import type { StoredObject } from './object-store.ts';

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface ObjectVersion {
  versionId: string | null;
  isLatest: boolean;
  isDeleteMarker: boolean;
}

/**
 * Write-once protection of stored objects (S3 object lock): retention until a date, and legal holds.
 * Neither can be removed from an original by anything in evidock; a retention is only ever extended.
 */
export interface ObjectLock {
  /** Locks one version until `until`; the store refuses to shorten an existing lock. */
  retain(ref: StoredObject, mode: LockMode, until: Date): Promise<void>;
  retention(ref: StoredObject): Promise<{ mode: LockMode; until: Date } | null>;
  setLegalHold(ref: StoredObject, on: boolean): Promise<void>;
  legalHold(ref: StoredObject): Promise<boolean>;
  /** Writes a new object that is locked from its first byte (seals); null when `key` already holds one (write-once). */
  putLocked(key: string, body: Buffer, lock: { mode: LockMode; until: Date; contentType: string }): Promise<StoredObject | null>;
}

/** Walking the bucket: for reindex (manifests), verify (seals, versions of an original). */
export interface ObjectListing {
  /** Keys under a prefix (latest versions), in key order. */
  keys(prefix: string): AsyncIterable<string>;
  /** Every version and delete marker of one key, newest first. */
  versions(key: string): Promise<ObjectVersion[]>;
}
