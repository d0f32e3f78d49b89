import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateMinioRoot, loadOrCreateSecrets, readSecrets } from '../../src/adapters/embedded/secrets.ts';

const legacy = {
  redisPassword: 'r'.repeat(48), postgresPassword: 'p'.repeat(48), postgresAdminPassword: 'a'.repeat(48),
  minioRootUser: 'evidock-abcdef', minioRootPassword: 'm'.repeat(48),
};

describe('secrets: MinIO root user kept apart', () => {
  it('moves the root user out of an older secrets.json at start, keeping every other secret, and gives the daemon a user of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(legacy), { mode: 0o600 });
    expect(() => readSecrets(dir)).toThrow(/still holds MinIO's root user: start the daemon once/);
    const secrets = loadOrCreateSecrets(dir);
    expect(secrets).toMatchObject({ redisPassword: legacy.redisPassword, postgresPassword: legacy.postgresPassword, postgresAdminPassword: legacy.postgresAdminPassword });
    expect(secrets.minioUser).toMatch(/^evidock-daemon-/);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(legacy.minioRootPassword);
    expect(loadOrCreateMinioRoot(dir)).toEqual({ user: legacy.minioRootUser, password: legacy.minioRootPassword });
    expect(statSync(join(dir, 'minio-root.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    // A second start changes nothing.
    expect(loadOrCreateSecrets(dir)).toEqual(secrets);
  });

  it('generates both files on a first start, the root user only in its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const secrets = loadOrCreateSecrets(dir);
    const root = loadOrCreateMinioRoot(dir);
    expect(root.user).not.toBe(secrets.minioUser);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(root.password);
    expect(readSecrets(dir)).toEqual(secrets);
  });
});
