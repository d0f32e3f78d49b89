import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashOf } from '../../../src/app/hashing.ts';
import type { ObjectListing, ObjectLock } from '../../../src/ports/object-lock.ts';
import type { ObjectStore } from '../../../src/ports/object-store.ts';

/** What the suite needs of one provider: its ports, plus what only an outsider (an admin with S3 credentials) can do. */
export interface ObjectStoreSubject {
  store: ObjectStore;
  lock: ObjectLock & ObjectListing;
  /** A DeleteObject sent outside evidock, optionally with the governance bypass header. */
  removeFromOutside(key: string, versionId: string | null, bypassGovernance: boolean): Promise<void>;
  /** The provider's own time (a fake clock in memory, the wall clock with MinIO). */
  now(): Date;
  /** Lets `ms` pass for the provider (advances a fake clock, or waits). */
  elapse(ms: number): Promise<void>;
}

const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};
const later = (subject: ObjectStoreSubject, ms: number) => new Date(subject.now().getTime() + ms);
const HOUR = 3_600_000;
let n = 0;
/** Keys unique per test, so tests of one subject never see each other's versions. */
const fresh = (name: string) => `conf/${name}-${(n += 1)}`;

/**
 * One behaviour for every provider of the evidence bucket ports (memory, MinIO): run with each. Every
 * refusal here is one MinIO makes; a memory store that allowed it would let a unit test pass that the
 * real store fails.
 */
export function describeObjectStoreConformance(label: string, makeSubject: () => Promise<ObjectStoreSubject>): void {
  describe(`object store conformance: ${label}`, () => {
    let s: ObjectStoreSubject;
    beforeAll(async () => {
      s = await makeSubject();
      await s.store.ensureBucket();
      await s.store.ensureBucket(); // twice: an existing locked bucket is accepted
    });

    it('keeps every version: a second put is a new version, the first stays readable', async () => {
      const key = fresh('versions');
      const first = await s.store.put(key, Buffer.from('one'), { metadata: { Device: 'D1' }, contentType: 'video/mp4' });
      const second = await s.store.put(key, Readable.from([Buffer.from('tw'), Buffer.from('o')]));
      expect(first.versionId).toBeTruthy();
      expect(second.versionId).not.toBe(first.versionId);
      expect(await text(await s.store.read(key))).toBe('two');
      expect(await text(await s.store.read(key, first.versionId))).toBe('one');
      expect(await s.store.stat(key, first.versionId)).toMatchObject({ key, versionId: first.versionId, size: 3, metadata: { device: 'D1', 'content-type': 'video/mp4' } });
      expect((await s.lock.versions(key)).map((v) => [v.versionId, v.isLatest, v.isDeleteMarker])).toEqual([[second.versionId, true, false], [first.versionId, false, false]]);
    });

    it('answers null for a missing key or version, and refuses to read one', async () => {
      const key = fresh('missing');
      expect(await s.store.stat(key)).toBeNull();
      await expect(s.store.read(key).then(text)).rejects.toThrow();
      const { versionId } = await s.store.put(key, Buffer.from('x'));
      await s.store.discardUnreferenced(key, versionId);
      expect(await s.store.stat(key, versionId)).toBeNull();
    });

    it('a body that fails midway stores nothing', async () => {
      const key = fresh('yanked');
      let sent = 0;
      const failing = new Readable({ read() { sent += 1; if (sent > 3) this.destroy(new Error('EIO: device removed')); else this.push(Buffer.alloc(1024)); } });
      await expect(s.store.put(key, failing)).rejects.toThrow(/device removed/);
      expect(await s.store.stat(key)).toBeNull();
    });

    it('replaces the metadata of the current version in place, data untouched', async () => {
      const key = fresh('meta');
      const stored = await s.store.put(key, Buffer.from('evidence'), { metadata: { sha256: 'pending', gone: 'x' } });
      const replaced = await s.store.replaceMetadata(key, { sha256: 'abc' });
      expect(replaced.versionId).toBe(stored.versionId);
      const info = await s.store.stat(key);
      expect(info?.metadata).toMatchObject({ sha256: 'abc' });
      expect(info?.metadata.gone).toBeUndefined();
      expect(await text(await s.store.read(key))).toBe('evidence');
    });

    it('tags a version without making a new one, and tags are strings', async () => {
      const key = fresh('tags');
      const first = await s.store.put(key, Buffer.from('a'));
      const second = await s.store.put(key, Buffer.from('b'));
      await s.store.setTags(key, first.versionId, { case: '1001', kind: 'video' });
      expect(await s.store.getTags(key, first.versionId)).toEqual({ case: '1001', kind: 'video' });
      expect(await s.store.getTags(key, second.versionId)).toEqual({});
      await s.store.setTags(key, first.versionId, { kind: 'audio' });
      expect(await s.store.getTags(key, first.versionId)).toEqual({ kind: 'audio' });
      expect(await s.lock.versions(key)).toHaveLength(2);
    });

    it('discards an unlocked version for good; without a version id a delete only hides the key behind a marker', async () => {
      const key = fresh('discard');
      const kept = await s.store.put(key, Buffer.from('kept'));
      const dup = await s.store.put(key, Buffer.from('dup'));
      await s.store.discardUnreferenced(key, dup.versionId);
      expect((await s.lock.versions(key)).map((v) => v.versionId)).toEqual([kept.versionId]);
      await s.removeFromOutside(key, null, false);
      const versions = await s.lock.versions(key);
      expect(versions.map((v) => [v.isLatest, v.isDeleteMarker])).toEqual([[true, true], [false, false]]);
      expect(await s.store.stat(key)).toBeNull();
      expect(await text(await s.store.read(key, kept.versionId))).toBe('kept');
      const listed: string[] = [];
      for await (const k of s.lock.keys('conf/discard')) listed.push(k);
      expect(listed).not.toContain(key);
    });

    it('lists the live keys under a prefix in key order', async () => {
      const prefix = fresh('list');
      for (const k of ['b', 'a', 'c/d']) await s.store.put(`${prefix}/${k}`, Buffer.from(k));
      const listed: string[] = [];
      for await (const k of s.lock.keys(`${prefix}/`)) listed.push(k);
      expect(listed).toEqual([`${prefix}/a`, `${prefix}/b`, `${prefix}/c/d`]);
    });

    it('refuses to delete a version under COMPLIANCE retention, bypass or not, from evidock or outside', async () => {
      const key = fresh('compliance');
      const ref = await s.store.put(key, Buffer.from('original'));
      await s.lock.retain(ref, 'COMPLIANCE', later(s, HOUR));
      await expect(s.store.discardUnreferenced(key, ref.versionId)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await expect(s.removeFromOutside(key, ref.versionId, true)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      expect((await s.store.stat(key, ref.versionId))?.size).toBe(8);
      expect(await s.lock.retention(ref)).toMatchObject({ mode: 'COMPLIANCE' });
    });

    it('a retention is only extended: never shortened, never changed to another mode, never set in the past', async () => {
      const key = fresh('extend');
      const ref = await s.store.put(key, Buffer.from('x'));
      expect(await s.lock.retention(ref)).toBeNull();
      await expect(s.lock.retain(ref, 'COMPLIANCE', later(s, -HOUR))).rejects.toThrow();
      const until = later(s, 2 * HOUR);
      await s.lock.retain(ref, 'COMPLIANCE', until);
      await expect(s.lock.retain(ref, 'COMPLIANCE', later(s, HOUR))).rejects.toThrow();
      await expect(s.lock.retain(ref, 'GOVERNANCE', later(s, 3 * HOUR))).rejects.toThrow();
      await s.lock.retain(ref, 'COMPLIANCE', later(s, 3 * HOUR));
      const now = await s.lock.retention(ref);
      expect(now?.mode).toBe('COMPLIANCE');
      expect(Math.abs(now!.until.getTime() - later(s, 3 * HOUR).getTime())).toBeLessThan(60_000);

      const gov = await s.store.put(fresh('extend-gov'), Buffer.from('y'));
      await s.lock.retain(gov, 'GOVERNANCE', until);
      await expect(s.lock.retain(gov, 'GOVERNANCE', later(s, HOUR))).rejects.toThrow();
      await expect(s.lock.retain(gov, 'COMPLIANCE', later(s, 3 * HOUR))).rejects.toThrow();
      await s.lock.retain(gov, 'GOVERNANCE', later(s, 3 * HOUR));
    });

    it('GOVERNANCE gives way to an explicit bypass, and only GOVERNANCE', async () => {
      const key = fresh('governance');
      const ref = await s.store.put(key, Buffer.from('g'));
      await s.lock.retain(ref, 'GOVERNANCE', later(s, HOUR));
      await expect(s.store.discardUnreferenced(key, ref.versionId)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await expect(s.removeFromOutside(key, ref.versionId, false)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await s.removeFromOutside(key, ref.versionId, true);
      expect(await s.store.stat(key, ref.versionId)).toBeNull();
    });

    it('a legal hold refuses any delete, bypass included, until it is turned off', async () => {
      const key = fresh('hold');
      const ref = await s.store.put(key, Buffer.from('h'));
      expect(await s.lock.legalHold(ref)).toBe(false);
      await s.lock.setLegalHold(ref, true);
      expect(await s.lock.legalHold(ref)).toBe(true);
      await expect(s.store.discardUnreferenced(key, ref.versionId)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await expect(s.removeFromOutside(key, ref.versionId, true)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await s.lock.setLegalHold(ref, false);
      expect(await s.lock.legalHold(ref)).toBe(false);
      await s.store.discardUnreferenced(key, ref.versionId);
      expect(await s.store.stat(key, ref.versionId)).toBeNull();
    });

    it('writes an object locked from its first byte', async () => {
      const key = fresh('sealed');
      const ref = await s.lock.putLocked(key, Buffer.from('{"seal":1}'), { mode: 'COMPLIANCE', until: later(s, HOUR), contentType: 'application/json' });
      expect(await s.lock.retention(ref)).toMatchObject({ mode: 'COMPLIANCE' });
      expect((await s.store.stat(key, ref.versionId))?.metadata['content-type']).toBe('application/json');
      await expect(s.removeFromOutside(key, ref.versionId, true)).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    });

    it('an expired retention no longer protects the version', async () => {
      const key = fresh('expired');
      const ref = await s.lock.putLocked(key, Buffer.from('e'), { mode: 'COMPLIANCE', until: later(s, 2_000), contentType: 'text/plain' });
      await expect(s.store.discardUnreferenced(key, ref.versionId)).rejects.toThrow();
      await s.elapse(3_000);
      await s.store.discardUnreferenced(key, ref.versionId);
      expect(await s.store.stat(key, ref.versionId)).toBeNull();
    });
  });
}
