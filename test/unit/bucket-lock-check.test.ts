import { describe, expect, it } from 'vitest';
import { MinioObjectStore } from '../../src/adapters/minio-object-store.ts';

/** The evidence bucket's object-lock check, with MinIO's answers stubbed (no server needed). */
function storeAnswering(lockConfig: () => Promise<unknown>) {
  const store = new MinioObjectStore({ endPoint: '127.0.0.1', port: 1, useSSL: false, accessKey: 'k', secretKey: 's', region: 'us-east-1', bucket: 'evidence' });
  Object.assign(store.client, { bucketExists: async () => true, getObjectLockConfig: lockConfig });
  return store;
}

const s3Error = (code: string) => Object.assign(new Error(code), { code });

describe('an existing evidence bucket', () => {
  it('is accepted with object lock enabled', async () => {
    await expect(storeAnswering(async () => ({ objectLockEnabled: 'Enabled' })).ensureBucket()).resolves.toBeUndefined();
  });

  it('is refused, saying what to do, when MinIO says it has no lock configuration', async () => {
    await expect(storeAnswering(() => Promise.reject(s3Error('ObjectLockConfigurationNotFoundError'))).ensureBucket()).rejects.toThrow(/exists without object lock: configure minio\.bucket/);
  });

  it('raises any other error as it is, not as "no object lock"', async () => {
    await expect(storeAnswering(() => Promise.reject(s3Error('AccessDenied'))).ensureBucket()).rejects.toThrow(/^AccessDenied$/);
    await expect(storeAnswering(() => Promise.reject(new Error('connect ECONNREFUSED'))).ensureBucket()).rejects.toThrow(/ECONNREFUSED/);
  });
});
