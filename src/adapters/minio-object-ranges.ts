import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import type { ObjectRanges } from '../ports/links.ts';

/** Ranged reads of one object version (HTTP Range for players and resumable downloads). */
export class MinioObjectRanges implements ObjectRanges {
  constructor(private readonly client: Client, private readonly bucket: string) {}

  readRange(key: string, versionId: string | null, start: number, length: number): Promise<Readable> {
    return this.client.getPartialObject(this.bucket, key, start, length, versionId ? { versionId } : {});
  }
}
