import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAEMON_POLICY } from '../../src/adapters/embedded/minio-admin.ts';

describe("the daemon's MinIO policy", () => {
  it('is the one docs/minio-policy.md gives for a configured MinIO', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/minio-policy.md'), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(JSON.parse(block!)).toEqual(DAEMON_POLICY);
  });

  it('denies the bypass, every version delete, and deletes under items/ and audit/', () => {
    const denied = DAEMON_POLICY.Statement.filter((s) => s.Effect === 'Deny').flatMap((s) => s.Action.map((a) => `${a} ${s.Resource.join(' ')}`));
    expect(denied).toEqual(expect.arrayContaining([
      's3:BypassGovernanceRetention arn:aws:s3:::*/*',
      's3:DeleteObjectVersion arn:aws:s3:::*/*',
      's3:DeleteObject arn:aws:s3:::*/items/* arn:aws:s3:::*/audit/*',
    ]));
    const allowed = DAEMON_POLICY.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(allowed.filter((a) => /Delete(Object|Version)|Bypass|Policy|Lifecycle/.test(a))).toEqual([]);
  });
});
