import type { Readable } from 'node:stream';

export interface StoredObject {
  key: string;
  versionId: string | null;
}

export interface ObjectInfo extends StoredObject {
  size: number;
  metadata: Record<string, string>;
}

export interface PutOptions {
  metadata?: Record<string, string>;
  contentType?: string;
  signal?: AbortSignal;
}

/** The evidence bucket (MinIO in production, memory in unit tests). */
export interface ObjectStore {
  /** Creates the bucket with versioning and object lock when it does not exist. */
  ensureBucket(): Promise<void>;
  put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<StoredObject>;
  /** Replaces the user metadata of the current version (a new version; the data is not re-sent). */
  replaceMetadata(key: string, metadata: Record<string, string>): Promise<StoredObject>;
  read(key: string, versionId?: string | null, signal?: AbortSignal): Promise<Readable>;
  stat(key: string, versionId?: string | null): Promise<ObjectInfo | null>;
  /** Replaces the S3 tags of one version (tags are not metadata: the version and its data stay as they are). */
  setTags(key: string, versionId: string | null, tags: Record<string, string>): Promise<void>;
  getTags(key: string, versionId: string | null): Promise<Record<string, string>>;
  /**
   * Removes one version that no catalog record refers to (an upload that turned out to be a
   * duplicate or failed verification). Never called for a secured original. Where the store refuses deletes
   * to the daemon (least privilege), the version stays, tagged as discarded.
   */
  discardUnreferenced(key: string, versionId: string | null): Promise<void>;
}
