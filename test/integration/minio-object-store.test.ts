import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DISCARDED_TAG, MinioObjectStore } from '../../src/adapters/minio-object-store.ts';
import { hashOf } from '../../src/app/hashing.ts';
import { MinioObjectLock } from '../../src/adapters/minio-object-lock.ts';
import { loadOrCreateMinioRoot, minioRootPath } from '../../src/adapters/embedded/secrets.ts';
import { describeObjectStoreConformance } from '../support/conformance/object-store.ts';
import { freshBucketName } from '../support/isolation.ts';

const MiB = 1024 * 1024;

describe('MinIO object store (real MinIO)', () => {
  let store: MinioObjectStore;
  beforeAll(async () => {
    store = new MinioObjectStore({ ...inject('endpoints').minio, bucket: freshBucketName() });
    await store.ensureBucket();
  });

  it('creates the bucket with versioning and object lock', async () => {
    const lock = await store.client.getObjectLockConfig(store.bucket);
    expect(lock).toMatchObject({ objectLockEnabled: 'Enabled' });
    expect(await store.client.getBucketVersioning(store.bucket)).toMatchObject({ Status: 'Enabled' });
  });

  it('refuses an existing bucket without object lock, saying what to do', async () => {
    const plain = new MinioObjectStore({ ...inject('endpoints').minio, bucket: freshBucketName() });
    await plain.client.makeBucket(plain.bucket);
    await expect(plain.ensureBucket()).rejects.toThrow(/exists without object lock: configure minio\.bucket/);
  });

  it('stores a multi-part stream byte for byte, in several parts', async () => {
    const data = randomBytes(40 * MiB + 123);
    const chunks = Array.from({ length: Math.ceil(data.length / MiB) }, (_, i) => data.subarray(i * MiB, (i + 1) * MiB));
    const stored = await store.put('multi', Readable.from(chunks), { metadata: { device: 'D1' } });
    expect(stored.versionId).toBeTruthy();
    const back = await hashOf(await store.read('multi', stored.versionId));
    expect(back).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
    const stat = await store.client.statObject(store.bucket, 'multi');
    expect(stat.etag).toMatch(/-3$/); // three 16 MiB parts
  });

  it('stores an empty body', async () => {
    const stored = await store.put('empty', Readable.from([]));
    expect((await store.stat('empty', stored.versionId))?.size).toBe(0);
  });

  it('a source that fails midway (a device pulled out) leaves no object and no parts behind', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1;
        if (sent > 40) this.destroy(new Error('EIO: device removed'));
        else this.push(randomBytes(MiB));
      },
    });
    await expect(store.put('yanked', failing)).rejects.toThrow(/device removed/);
    expect(await store.stat('yanked')).toBeNull();
    const incomplete = [];
    for await (const upload of store.client.listIncompleteUploads(store.bucket, 'yanked', true)) incomplete.push(upload);
    expect(incomplete).toEqual([]);
  });

  it('replaces metadata in place: same version, same bytes', async () => {
    const stored = await store.put('meta', Buffer.from('evidence'), { metadata: { sha256: 'pending' } });
    const replaced = await store.replaceMetadata('meta', { sha256: 'abc', device: 'D2' });
    expect(replaced.versionId).toBe(stored.versionId);
    expect((await store.stat('meta'))?.metadata).toMatchObject({ sha256: 'abc', device: 'D2' });
    expect((await hashOf(await store.read('meta'))).size).toBe(8);
  });

  it("discards an unreferenced version: the daemon's own MinIO user may delete no version, so it stays, tagged as discarded", async () => {
    const stored = await store.put('dup', Buffer.from('x'));
    await store.discardUnreferenced('dup', stored.versionId);
    if (process.env.EVIDOCK_TEST_MINIO_URL && (await store.stat('dup', stored.versionId)) === null) return; // a configured store's user may delete
    expect(await store.getTags('dup', stored.versionId)).toEqual({ [DISCARDED_TAG]: 'unreferenced' });
  });
});

/**
 * The port's contract, against MinIO's own lock rules: with credentials that may delete versions (the root user the
 * embedded MinIO keeps apart from the daemon), a discard deletes and only a lock refuses it. The daemon's own user
 * may delete nothing at all; the test above covers what its discard does instead.
 */
function rootMinio() {
  const endpoint = inject('endpoints').minio;
  const rootFile = minioRootPath(inject('servicesConfig').dataDir);
  if (!existsSync(rootFile)) return endpoint; // configured MinIO (EVIDOCK_TEST_MINIO_URL): its user as given
  const root = loadOrCreateMinioRoot(inject('servicesConfig').dataDir);
  return { ...endpoint, accessKey: root.user, secretKey: root.password };
}

describeObjectStoreConformance('MinIO', async () => {
  const store = new MinioObjectStore({ ...rootMinio(), bucket: freshBucketName() });
  return {
    store,
    lock: new MinioObjectLock(store.client, store.bucket),
    removeFromOutside: (key, versionId, governanceBypass) => store.client.removeObject(store.bucket, key, { ...(versionId ? { versionId } : {}), governanceBypass }),
    now: () => new Date(),
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
});
