import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashingTee, hashOf } from '../../src/app/hashing.ts';

describe('hashing tee', () => {
  it('passes every byte through and hashes the same bytes', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(65536 + i, i));
    const whole = Buffer.concat(chunks);
    const tee = hashingTee(Readable.from(chunks));
    const passed = await hashOf(tee.stream);
    const digest = await tee.digest;
    const expected = createHash('sha256').update(whole).digest('hex');
    expect(digest).toEqual({ sha256: expected, size: whole.length });
    expect(passed).toEqual(digest);
  });

  it('fails both sides when the source fails (a device pulled mid-read)', async () => {
    const source = new Readable({ read() {} });
    const tee = hashingTee(source);
    const consumed = hashOf(tee.stream);
    source.push(Buffer.alloc(10));
    source.destroy(new Error('EIO: device gone'));
    await expect(tee.digest).rejects.toThrow(/device gone/);
    await expect(consumed).rejects.toThrow();
  });
});
