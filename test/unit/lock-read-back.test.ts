import { describe, expect, it } from 'vitest';
import { LockKeeper } from '../../src/app/integrity/evidence-locks.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { LockRecords } from '../../src/ports/lock-records.ts';
import type { LockMode, ObjectLock } from '../../src/ports/object-lock.ts';
import type { StoredObject } from '../../src/ports/object-store.ts';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryObjectStore } from '../../src/adapters/memory/memory-object-store.ts';

const now = new Date('2026-12-03T10:00:00Z');
const ref = (o: StoredObject) => `${o.key}@${o.versionId}`;

/** Object locks as the store keeps them, per version. */
class StoreObjectLock implements ObjectLock {
  readonly retentions = new Map<string, { mode: LockMode; until: Date }>();
  readonly holds = new Set<string>();
  async retain(o: StoredObject, mode: LockMode, until: Date) {
    this.retentions.set(ref(o), { mode, until });
  }
  async retention(o: StoredObject) {
    return this.retentions.get(ref(o)) ?? null;
  }
  async setLegalHold(o: StoredObject, on: boolean) {
    if (on) this.holds.add(ref(o));
    else this.holds.delete(ref(o));
  }
  async legalHold(o: StoredObject) {
    return this.holds.has(ref(o));
  }
  async putLocked(): Promise<StoredObject> {
    throw new Error('not used');
  }
}

async function setup() {
  const store = new MemoryObjectStore(new ManualClock(now));
  const original = await store.put('originals/I1/A.MP4', Buffer.from('a'));
  const manifest = await store.put('manifests/I1.json', Buffer.from('{}'));
  const lock = new StoreObjectLock();
  // The records say nothing was locked: what counts is what the store shows.
  const records = {
    lockSubject: async (itemId: string) => ({ itemId, securedAt: now, original, manifestKey: 'manifests/I1.json', checklistRow: null, caseId: null, caseArchived: false }),
  } as Pick<LockRecords, 'lockSubject'> as LockRecords;
  const keeper = new LockKeeper({ config: configSchema.parse({}), clock: { now: () => now }, store, lock, records, checklistClass: () => null });
  return { store, lock, keeper, original, manifest };
}

const later = new Date(now.getTime() + 86_400_000);

describe('EvidenceLocks.isProtected reads both locks back from the store', () => {
  it('is protected only when the original and the manifest each have a running retention or a legal hold', async () => {
    const { lock, keeper, original, manifest } = await setup();
    expect(await keeper.isProtected('I1')).toBe(false);
    await lock.retain(original, 'GOVERNANCE', later);
    expect(await keeper.isProtected('I1')).toBe(false);
    await lock.setLegalHold(manifest, true);
    expect(await keeper.isProtected('I1')).toBe(true);
  });

  it('a retention that has lapsed does not protect', async () => {
    const { lock, keeper, original, manifest } = await setup();
    await lock.retain(original, 'COMPLIANCE', later);
    await lock.retain(manifest, 'COMPLIANCE', now);
    expect(await keeper.isProtected('I1')).toBe(false);
  });

  it("looks at the manifest's current version: a newer unlocked version is not protected", async () => {
    const { store, lock, keeper, original, manifest } = await setup();
    await lock.retain(original, 'GOVERNANCE', later);
    await lock.retain(manifest, 'GOVERNANCE', later);
    expect(await keeper.isProtected('I1')).toBe(true);
    await store.put('manifests/I1.json', Buffer.from('{"rewritten":true}'));
    expect(await keeper.isProtected('I1')).toBe(false);
  });

  it('a missing manifest is not protected', async () => {
    const { store, lock, keeper, original, manifest } = await setup();
    await lock.retain(original, 'GOVERNANCE', later);
    await store.discardUnreferenced(manifest.key, manifest.versionId);
    expect(await keeper.isProtected('I1')).toBe(false);
  });
});
