import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryLockRecords } from '../../src/adapters/memory/memory-lock-records.ts';
import { MemoryObjectLock } from '../../src/adapters/memory/memory-object-lock.ts';
import { MemoryObjectStore } from '../../src/adapters/memory/memory-object-store.ts';
import { LockKeeper } from '../../src/app/integrity/evidence-locks.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RetentionClass } from '../../src/domain/checklist.ts';
import type { ItemLockSubject } from '../../src/ports/lock-records.ts';
import type { StoredObject } from '../../src/ports/object-store.ts';

const DAY = 86_400_000;
const securedAt = new Date('2026-04-30T10:00:00Z');

/** The lock keeper over a memory bucket with object lock, memory lock records and a ManualClock. */
function lockWorld(mode: 'GOVERNANCE' | 'COMPLIANCE' = 'COMPLIANCE') {
  const clock = new ManualClock('2026-05-01T08:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'evidock-locks-'));
  const config = loadConfig({ env: {}, cwd: dataDir, overrides: { dataDir, retention: { mode } } });
  const store = new MemoryObjectStore(clock);
  const lock = new MemoryObjectLock(store.bucket);
  const records = new MemoryLockRecords();
  const rowClasses: Record<string, RetentionClass> = { 'row-long': 'long', 'row-standard': 'standard' };
  const keeper = new LockKeeper({ config, clock, store, lock, records, checklistClass: (row) => rowClasses[row] ?? null });

  async function item(id: string, over: Partial<ItemLockSubject> = {}): Promise<{ original: StoredObject; manifest: StoredObject }> {
    const original = await store.put(`items/${id}/original.mp4`, Buffer.from(`video ${id}`));
    const manifest = await store.put(`items/${id}/manifest.json`, Buffer.from('{}'));
    records.subjects.set(id, { itemId: id, securedAt, original, manifestKey: manifest.key, checklistRow: null, caseId: null, caseArchived: false, ...over });
    return { original, manifest };
  }
  const until = (days: number) => new Date(securedAt.getTime() + days * DAY);
  return { clock, config, store, lock, records, keeper, item, until };
}

describe('evidence locks (LockKeeper)', () => {
  it('locks original and manifest for the default class from when the item was secured; the bucket then refuses to delete either', async () => {
    const w = lockWorld();
    const { original, manifest } = await w.item('I1');
    expect(await w.keeper.protectItem('I1', 'dock-1')).toEqual({ retentionClass: 'standard', until: w.until(3 * 365) });
    for (const ref of [original, manifest]) {
      expect(await w.lock.retention(ref)).toEqual({ mode: 'COMPLIANCE', until: w.until(3 * 365) });
      await expect(w.store.discardUnreferenced(ref.key, ref.versionId)).rejects.toThrow(/WORM/);
    }
    expect(w.records.events.map((e) => [e.type, e.itemId, e.details.retentionClass])).toEqual([['retention-set', 'I1', 'standard']]);
  });

  it('protecting again changes nothing and records nothing; a longer class (from the checklist row) extends both locks', async () => {
    const w = lockWorld();
    const { original } = await w.item('I1');
    await w.keeper.protectItem('I1', 'dock-1');
    await w.keeper.protectItem('I1', 'dock-1');
    expect(w.records.retentions).toHaveLength(2);
    w.records.subjects.get('I1')!.checklistRow = 'row-long';
    expect((await w.keeper.protectItem('I1', 'tagging')).retentionClass).toBe('long');
    expect(await w.lock.retention(original)).toEqual({ mode: 'COMPLIANCE', until: w.until(10 * 365) });
    expect(w.records.events.map((e) => e.details.retentionClass)).toEqual(['standard', 'long']);
  });

  it('never shortens: a shorter class asked later leaves the longer lock as it is', async () => {
    const w = lockWorld();
    const { original } = await w.item('I1', { checklistRow: 'row-long' });
    await w.keeper.protectItem('I1', 'dock-1');
    w.records.subjects.get('I1')!.checklistRow = 'row-standard';
    await w.keeper.protectItem('I1', 'tagging');
    expect(await w.lock.retention(original)).toEqual({ mode: 'COMPLIANCE', until: w.until(10 * 365) });
    expect(w.records.retentions).toHaveLength(2);
  });

  it('a retry after the lock was set but not recorded sets the same date again and records it', async () => {
    const w = lockWorld();
    const { original } = await w.item('I1');
    await w.lock.retain(original, 'COMPLIANCE', w.until(3 * 365));
    await w.keeper.protectItem('I1', 'dock-1');
    expect(w.records.retentions.map((r) => r.object.key)).toEqual(['items/I1/original.mp4', 'items/I1/manifest.json']);
  });

  it('if the records fell behind a longer lock in the bucket, the store refuses to shorten it and the error says so', async () => {
    const w = lockWorld();
    const { original } = await w.item('I1');
    await w.lock.retain(original, 'COMPLIANCE', w.until(10 * 365));
    await expect(w.keeper.protectItem('I1', 'dock-1')).rejects.toThrow(/only be extended/);
    expect(await w.lock.retention(original)).toEqual({ mode: 'COMPLIANCE', until: w.until(10 * 365) });
  });

  it('refuses an unknown item, and an item whose manifest is missing (pointing to verify)', async () => {
    const w = lockWorld();
    await expect(w.keeper.protectItem('nope', 'x')).rejects.toThrow('no evidence item nope');
    await w.item('I1');
    w.records.subjects.get('I1')!.manifestKey = 'items/I1/gone.json';
    await expect(w.keeper.protectItem('I1', 'x')).rejects.toThrow(/manifest items\/I1\/gone\.json of item I1 is missing from the bucket; run "evidock verify"/);
  });

  it('an item of an open case gets the case legal hold on both objects, once; an archived case places none', async () => {
    const w = lockWorld();
    const { original, manifest } = await w.item('I1', { caseId: 'C1' });
    await w.keeper.protectItem('I1', 'dock-1');
    await w.keeper.protectItem('I1', 'dock-1');
    expect([await w.lock.legalHold(original), await w.lock.legalHold(manifest)]).toEqual([true, true]);
    expect(w.records.holds.map((h) => [h.itemId, h.caseId, h.action])).toEqual([['I1', 'C1', 'placed']]);
    const archived = await w.item('I2', { caseId: 'C2', caseArchived: true });
    await w.keeper.protectItem('I2', 'dock-1');
    expect(await w.lock.legalHold(archived.original)).toBe(false);
  });

  it('lifting a case hold releases only items no other case holds; a held object cannot be deleted, even with the governance bypass', async () => {
    const w = lockWorld('GOVERNANCE');
    const one = await w.item('I1');
    const both = await w.item('I2');
    await w.keeper.placeCaseHold('C1', ['I1', 'I2'], 'archivist', 'case opened');
    await w.keeper.placeCaseHold('C2', ['I2'], 'archivist', 'case opened');
    expect(await w.keeper.liftCaseHold('C1', 'archivist', 'case file archived')).toEqual({ released: ['I1'], stillHeld: ['I2'] });
    expect(await w.lock.legalHold(one.original)).toBe(false);
    expect(await w.lock.legalHold(both.original)).toBe(true);
    expect(() => w.store.bucket.remove(both.original.key, both.original.versionId, { bypassGovernance: true })).toThrow(/legal hold/);
    expect(await w.records.holding('I2')).toEqual(['C2']);
    expect(w.records.events.map((e) => e.type)).toEqual(['legal-hold-placed', 'legal-hold-placed', 'legal-hold-placed', 'legal-hold-lifted', 'legal-hold-lifted']);
  });

  it('files in a case file are kept permanently; a case-file manifest is locked permanently from now', async () => {
    const w = lockWorld();
    const { original } = await w.item('I1');
    await w.keeper.fileInCaseFile(['I1'], 'CF-1', 'archivist');
    expect(await w.lock.retention(original)).toEqual({ mode: 'COMPLIANCE', until: w.until(100 * 365) });
    const caseManifest = await w.store.put('case-files/CF-1/manifest.json', Buffer.from('{}'));
    await w.keeper.lockObject(caseManifest, 'archivist');
    expect((await w.lock.retention(caseManifest))?.until).toEqual(new Date(w.clock.now().getTime() + 100 * 365 * DAY));
    expect(w.records.retentions.at(-1)).toMatchObject({ itemId: null, retentionClass: 'permanent' });
  });
});
