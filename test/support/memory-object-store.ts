import { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore, PutOptions, StoredObject } from '../../src/ports/object-store.ts';

interface Version {
  versionId: string;
  data: Buffer;
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * A versioned bucket in memory for unit tests of the dock processors (until the memory adapters of
 * issue 11 land in src/adapters/memory/, which this is to be replaced by).
 */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Version[]>();
  private next = 0;

  async ensureBucket(): Promise<void> {}

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<StoredObject> {
    const chunks: Buffer[] = [];
    if (Buffer.isBuffer(body)) chunks.push(body);
    else for await (const chunk of body) chunks.push(chunk as Buffer);
    return this.add(key, Buffer.concat(chunks), options.metadata ?? {});
  }

  private add(key: string, data: Buffer, metadata: Record<string, string>): StoredObject {
    const version: Version = { versionId: `v${++this.next}`, data, metadata: { ...metadata }, tags: {} };
    this.objects.set(key, [...(this.objects.get(key) ?? []), version]);
    return { key, versionId: version.versionId };
  }

  private find(key: string, versionId?: string | null): Version | undefined {
    const versions = this.objects.get(key) ?? [];
    return versionId ? versions.find((v) => v.versionId === versionId) : versions.at(-1);
  }

  async replaceMetadata(key: string, metadata: Record<string, string>): Promise<StoredObject> {
    const current = this.find(key);
    if (!current) throw new Error(`no object ${key}`);
    return this.add(key, current.data, metadata);
  }

  async read(key: string, versionId?: string | null): Promise<Readable> {
    const v = this.find(key, versionId);
    if (!v) throw new Error(`no object ${key} ${versionId ?? ''}`);
    return Readable.from([v.data]);
  }

  async stat(key: string, versionId?: string | null): Promise<ObjectInfo | null> {
    const v = this.find(key, versionId);
    return v ? { key, versionId: v.versionId, size: v.data.length, metadata: { ...v.metadata } } : null;
  }

  async setTags(key: string, versionId: string | null, tags: Record<string, string>): Promise<void> {
    const v = this.find(key, versionId);
    if (v) v.tags = { ...tags };
  }

  async getTags(key: string, versionId: string | null): Promise<Record<string, string>> {
    return { ...(this.find(key, versionId)?.tags ?? {}) };
  }

  async discardUnreferenced(key: string, versionId: string | null): Promise<void> {
    this.objects.set(key, (this.objects.get(key) ?? []).filter((v) => v.versionId !== versionId));
  }
}
