import { Readable } from 'node:stream';
import type { Clock } from '../../ports/clock.ts';
import type { ObjectInfo, ObjectStore, PutOptions, StoredObject } from '../../ports/object-store.ts';
import { BucketError, MemoryBucket } from './memory-bucket.ts';

const lowerKeys = (metadata: Record<string, string>) => Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));

async function collect(body: Readable | Buffer, signal?: AbortSignal): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    signal?.throwIfAborted();
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** The evidence bucket in memory, for unit tests; same port and same answers as MinioObjectStore. */
export class MemoryObjectStore implements ObjectStore {
  readonly bucket: MemoryBucket;

  constructor(bucketOrClock: MemoryBucket | Clock) {
    this.bucket = bucketOrClock instanceof MemoryBucket ? bucketOrClock : new MemoryBucket(bucketOrClock);
  }

  async ensureBucket(): Promise<void> {
    // A memory bucket is made with versioning and object lock: nothing to create.
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<StoredObject> {
    options.signal?.throwIfAborted();
    // A body that fails midway stores nothing, as an aborted multipart upload.
    const data = await collect(body, options.signal);
    const version = this.bucket.add(key, data, { metadata: lowerKeys(options.metadata ?? {}), contentType: options.contentType ?? 'application/octet-stream' });
    return { key, versionId: version.versionId };
  }

  async replaceMetadata(key: string, metadata: Record<string, string>): Promise<StoredObject> {
    // In place, as MinIO does for a copy onto the same version.
    const version = this.bucket.find(key);
    version.metadata = lowerKeys(metadata);
    return { key, versionId: version.versionId };
  }

  async read(key: string, versionId?: string | null, signal?: AbortSignal): Promise<Readable> {
    const data = this.bucket.find(key, versionId).data!;
    const stream = Readable.from([data]);
    signal?.addEventListener('abort', () => stream.destroy(new Error('read aborted')), { once: true });
    return stream;
  }

  async stat(key: string, versionId?: string | null): Promise<ObjectInfo | null> {
    try {
      const version = this.bucket.find(key, versionId);
      return { key, versionId: version.versionId, size: version.data!.length, metadata: { 'content-type': version.contentType, ...version.metadata } };
    } catch (error) {
      if (error instanceof BucketError && (error.code === 'NoSuchKey' || error.code === 'NoSuchVersion')) return null;
      throw error;
    }
  }

  async setTags(key: string, versionId: string | null, tags: Record<string, string>): Promise<void> {
    // S3 allows at most 10 tags per version.
    if (Object.keys(tags).length > 10) throw new BucketError('InvalidRequest', `${key}: ${Object.keys(tags).length} tags, S3 allows at most 10`);
    this.bucket.find(key, versionId).tags = { ...tags };
  }

  async getTags(key: string, versionId: string | null): Promise<Record<string, string>> {
    return { ...this.bucket.find(key, versionId).tags };
  }

  async discardUnreferenced(key: string, versionId: string | null): Promise<void> {
    this.bucket.remove(key, versionId);
  }
}
