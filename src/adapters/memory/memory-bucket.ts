import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.ts';
import type { LockMode } from '../../ports/object-lock.ts';

/** The S3 error an operation would get from MinIO, with its code (callers and tests read `code`). */
export class BucketError extends Error {
  override name = 'BucketError';
  constructor(
    readonly code: 'NoSuchKey' | 'NoSuchVersion' | 'AccessDenied' | 'InvalidRequest',
    message: string,
  ) {
    super(message);
  }
}

export interface BucketVersion {
  versionId: string;
  /** Null for a delete marker. */
  data: Buffer | null;
  contentType: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  retention: { mode: LockMode; until: Date } | null;
  legalHold: boolean;
}

/**
 * A versioned bucket with object lock, in memory, enforcing what MinIO enforces: a version under an
 * unexpired retention or a legal hold cannot be deleted (GOVERNANCE gives way to an explicit bypass,
 * COMPLIANCE and legal holds to nothing); a retention is only extended, and keeps its mode; a delete
 * without a version id only adds a delete marker. The memory object store and lock are views of it.
 */
export class MemoryBucket {
  /** Versions of each key, oldest first. */
  private readonly keys = new Map<string, BucketVersion[]>();

  constructor(readonly clock: Clock) {}

  private history(key: string): BucketVersion[] {
    let versions = this.keys.get(key);
    if (!versions) this.keys.set(key, (versions = []));
    return versions;
  }

  add(key: string, data: Buffer | null, fields: Partial<Omit<BucketVersion, 'versionId' | 'data'>> = {}): BucketVersion {
    const version: BucketVersion = { versionId: randomUUID(), data, contentType: 'application/octet-stream', metadata: {}, tags: {}, retention: null, legalHold: false, ...fields };
    this.history(key).push(version);
    return version;
  }

  /** The version asked for, or the latest; a delete marker only when `markers` says so. */
  find(key: string, versionId?: string | null, markers = false): BucketVersion {
    const versions = this.keys.get(key) ?? [];
    const found = versionId ? versions.find((v) => v.versionId === versionId) : versions.at(-1);
    if (!found) throw new BucketError(versionId ? 'NoSuchVersion' : 'NoSuchKey', `${key}${versionId ? ` version ${versionId}` : ''}: no such object`);
    if (found.data === null && !markers) throw new BucketError('NoSuchKey', `${key}${versionId ? ` version ${versionId}` : ''} is a delete marker`);
    return found;
  }

  /** Versions of one key, newest first, delete markers included. */
  versionsOf(key: string): readonly BucketVersion[] {
    return [...(this.keys.get(key) ?? [])].reverse();
  }

  /** Keys whose latest version is an object (not a delete marker), in key order. */
  liveKeys(prefix: string): string[] {
    return [...this.keys.entries()].filter(([key, v]) => key.startsWith(prefix) && v.length > 0 && v.at(-1)!.data !== null).map(([key]) => key).sort();
  }

  private retained(version: BucketVersion): BucketVersion['retention'] {
    return version.retention && version.retention.until.getTime() > this.clock.now().getTime() ? version.retention : null;
  }

  /**
   * S3's delete: with a version id removes that version for good, if no lock protects it; without, adds a delete marker.
   */
  remove(key: string, versionId: string | null, options: { bypassGovernance?: boolean } = {}): void {
    if (!versionId) {
      this.add(key, null);
      return;
    }
    const versions = this.keys.get(key) ?? [];
    const index = versions.findIndex((v) => v.versionId === versionId);
    const version = versions[index];
    if (!version) return; // S3 answers a delete of an absent version with success
    const retention = this.retained(version);
    if (version.legalHold || retention?.mode === 'COMPLIANCE' || (retention?.mode === 'GOVERNANCE' && !options.bypassGovernance)) {
      throw new BucketError('AccessDenied', `${key} version ${versionId} is WORM protected (${version.legalHold ? 'legal hold' : `${retention!.mode} retention until ${retention!.until.toISOString()}`}): it cannot be deleted`);
    }
    versions.splice(index, 1);
  }

  /** PutObjectRetention: a new date must lie ahead; an unexpired retention keeps its mode and is never shortened without a GOVERNANCE bypass. */
  putRetention(key: string, versionId: string | null, mode: LockMode, until: Date, options: { bypassGovernance?: boolean } = {}): void {
    const version = this.find(key, versionId);
    if (until.getTime() <= this.clock.now().getTime()) throw new BucketError('InvalidRequest', `retain-until ${until.toISOString()} of ${key} must be in the future`);
    const current = this.retained(version);
    const bypassed = current?.mode === 'GOVERNANCE' && options.bypassGovernance === true;
    if (current && !bypassed && (mode !== current.mode || until.getTime() < current.until.getTime())) {
      throw new BucketError('AccessDenied', `${key}: the ${current.mode} retention until ${current.until.toISOString()} is WORM protected: it can only be extended, in the same mode`);
    }
    version.retention = { mode, until: new Date(until) };
  }
}
