import type { Readable } from 'node:stream';
import type * as Minio from 'minio';

export interface ParallelUploadOptions {
  bucket: string;
  key: string;
  headers: Record<string, string>;
  partSize: number;
  /** Parts in flight at once; memory is about (concurrency + 1) × partSize. */
  concurrency: number;
}

/** Cuts a byte stream into buffers of exactly `size` bytes (the last one shorter). */
async function* parts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let rest = chunk;
    while (pendingBytes + rest.length >= size) {
      const take = size - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0 || pending.length > 0) yield Buffer.concat(pending);
}

/**
 * A multipart upload with several parts in flight, so reading the device and MinIO's writing overlap
 * (minio-js's own putObject sends one part at a time). A stream that fits one part is sent as one PUT.
 * On any failure the multipart upload is aborted, leaving no parts behind.
 */
export async function parallelUpload(client: Minio.Client, body: Readable, o: ParallelUploadOptions): Promise<{ versionId: string | null }> {
  const iterator = parts(body, o.partSize);
  const first = await iterator.next();
  const firstPart = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await iterator.next();
  if (second.done) {
    const result = await client.putObject(o.bucket, o.key, firstPart, firstPart.length, o.headers);
    return { versionId: result.versionId ?? null };
  }

  const uploadId = await client.initiateNewMultipartUpload(o.bucket, o.key, o.headers);
  const etags: Array<{ part: number; etag: string }> = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const send = (part: Buffer, partNumber: number) => {
    const upload = client
      .uploadPart({ bucketName: o.bucket, objectName: o.key, uploadID: uploadId, partNumber, headers: { 'Content-Length': String(part.length) } }, part)
      .then((r) => void (etags[partNumber - 1] = { part: partNumber, etag: r.etag }))
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => inFlight.delete(upload));
    inFlight.add(upload);
  };
  try {
    send(firstPart, 1);
    send(second.value, 2);
    let partNumber = 2;
    for await (const part of iterator) {
      while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
      if (failure) throw failure;
      send(part, ++partNumber);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    const done = await client.completeMultipartUpload(o.bucket, o.key, uploadId, etags);
    return { versionId: done.versionId ?? null };
  } catch (error) {
    await Promise.allSettled(inFlight);
    await client.abortMultipartUpload(o.bucket, o.key, uploadId).catch(() => undefined);
    throw error;
  }
}
