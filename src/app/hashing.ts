import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';

export interface Digest {
  sha256: string;
  size: number;
}

/**
 * Passes a stream through unchanged while hashing it, so one read of the device both feeds the
 * upload and yields the SHA-256. `digest` resolves when the source has been read to its end.
 */
export function hashingTee(source: Readable): { stream: PassThrough; digest: Promise<Digest> } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  const digest = new Promise<Digest>((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    source.once('end', () => resolve({ sha256: hash.digest('hex'), size }));
    source.once('error', (error) => {
      reject(error);
      stream.destroy(error);
    });
  });
  // Keep the rejection handled even if the caller is still awaiting the upload when it happens.
  digest.catch(() => undefined);
  source.pipe(stream);
  return { stream, digest };
}

/** Reads a whole stream and returns its SHA-256 and length. */
export async function hashOf(source: Readable): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
