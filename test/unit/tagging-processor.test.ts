import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryObjectStore } from '../../src/adapters/memory/memory-object-store.ts';
import { Tagging } from '../../src/app/tagging/tagging.ts';
import { loadChecklist } from '../../src/config/checklist-file.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { ActivityWindow } from '../../src/domain/matching.ts';
import { MemoryTagStore } from '../support/memory/memory-tag-store.ts';

const H = 3_600_000;
const capturedAt = new Date('2026-04-30T02:00:00Z');
/** cn-recorder naming: device BWC1, badge O1, 10:00:00 on the device clock (Asia/Shanghai) = 02:00Z. */
const relPath = 'DCIM/BWC1_O1_20260430100000.MP4';

/** Tagging over a memory tag store and bucket: officers on devices and people as the test sets them. */
async function taggingWorld() {
  const clock = new ManualClock('2026-05-01T08:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'evidock-tagging-'));
  const config = loadConfig({ env: {}, cwd: dataDir, overrides: { dataDir } });
  const store = new MemoryObjectStore(clock);
  const tags = new MemoryTagStore();
  const world = { onDevice: new Map<string, string>([['BWC-1', 'O1']]), people: new Set(['O1', 'O2']), setTagsDown: false, keptLocks: [] as string[] };
  const original = await store.put('items/I1/original.mp4', Buffer.from('video'));
  tags.items.set('I1', { id: 'I1', deviceSerial: 'BWC-1', capturedAt, original: original.key, originalVersion: original.versionId });
  const tagging = new Tagging({
    tags,
    registry: {
      person: async (id) => (world.people.has(id) ? { id, name: id, unit: null, role: 'officer' as const } : null),
      device: async () => null,
    },
    catalog: { officerOnDevice: async (serial) => world.onDevice.get(serial) ?? null },
    store: { setTags: (...a) => (world.setTagsDown ? Promise.reject(new Error('S3 unreachable')) : store.setTags(...a)) },
    checklist: loadChecklist(null),
    settings: config.tagging,
    clock,
    keepLocks: async (itemId) => void world.keptLocks.push(itemId),
  });
  const activity = (id: number, caseId: string, over: Partial<ActivityWindow> = {}): ActivityWindow => ({
    id, caseId, category: 'administrative-inspection', phase: 'investigation', officerId: 'O1',
    startsAt: new Date(capturedAt.getTime() - H), endsAt: new Date(capturedAt.getTime() + H), place: null, ...over,
  });
  const objectTags = () => store.getTags(original.key, original.versionId);
  const secured = () => tagging.itemSecured('I1', { serial: 'BWC-1', mountPath: dataDir, relPath }, 'dock-1');
  return { clock, store, tags, tagging, world, activity, objectTags, secured, original };
}

describe('tagging a secured item', () => {
  it('keeps what the device says, matches the officer on duty to their activity, and tags catalog, custody and the S3 object', async () => {
    const w = await taggingWorld();
    w.tags.activities.push(w.activity(1, 'C1'));
    const outcome = await w.secured();
    expect(outcome).toMatchObject({ changed: true, state: { caseId: 'C1', checklistRow: 'inspection-investigation', tagSource: 'activity', officerId: 'O1' } });
    expect((await w.tags.hints('I1'))?.says).toMatchObject({ parser: 'cn-recorder', badge: 'O1', capturedAt });
    expect(await w.objectTags()).toEqual({ case: 'C1', officer: 'O1', category: 'administrative-inspection', phase: 'investigation' });
    expect(w.tags.custody.map((e) => [e.type, e.itemId, e.details.reason])).toEqual([['tagged', 'I1', 'secured']]);
    // Its checklist row may keep the recording longer: the lock keeper is asked.
    expect(w.world.keptLocks).toEqual(['I1']);
  });

  it('a retry after the S3 tagging failed records no second change but brings the object tags up to date', async () => {
    const w = await taggingWorld();
    w.tags.activities.push(w.activity(1, 'C1'));
    w.world.setTagsDown = true;
    await expect(w.secured()).rejects.toThrow('S3 unreachable');
    expect(w.tags.events).toHaveLength(1);
    expect(await w.objectTags()).toEqual({});
    w.world.setTagsDown = false;
    const retry = await w.secured();
    expect(retry.changed).toBe(false);
    expect(w.tags.events).toHaveLength(1);
    expect(await w.objectTags()).toMatchObject({ case: 'C1' });
    expect(w.world.keptLocks).toEqual(['I1', 'I1']);
  });

  it('the hints first kept are the ones used: a retry does not read the device again', async () => {
    const w = await taggingWorld();
    await w.secured();
    await w.tagging.itemSecured('I1', { serial: 'BWC-1', mountPath: '/gone', relPath: 'DCIM/OTHER_O2_20260430100000.MP4' }, 'dock-1');
    expect((await w.tags.hints('I1'))?.rawName).toBe(relPath);
  });

  it('two cases in the window: no case is chosen, both are listed as candidates, and no lock class is asked', async () => {
    const w = await taggingWorld();
    w.tags.activities.push(w.activity(1, 'C1'), w.activity(2, 'C2', { phase: 'hearing' }));
    const outcome = await w.secured();
    expect(outcome.state.caseId).toBeNull();
    expect(outcome.candidates.map((c) => c.caseId)).toEqual(['C1', 'C2']);
    expect(await w.objectTags()).toEqual({ officer: 'O1' });
    expect(w.world.keptLocks).toEqual([]);
  });

  it("a person's tag is pinned: a later matching leaves it, until released", async () => {
    const w = await taggingWorld();
    await w.secured();
    const act = { actor: 'archivist', at: w.clock.now(), reason: 'seen on video' };
    await w.tagging.tagManually('I1', { caseId: 'C9', category: 'administrative-penalty', phase: 'hearing' }, act);
    w.tags.activities.push(w.activity(1, 'C1'));
    const rematched = await w.tagging.rematchForActivities([w.activity(1, 'C1')], { actor: 'import', at: w.clock.now(), reason: null });
    expect(rematched.map((o) => [o.itemId, o.changed, o.state.caseId, o.state.tagSource])).toEqual([['I1', false, 'C9', 'manual']]);
    const released = await w.tagging.release('I1', { ...act, reason: 'wrong case' });
    expect(released.state).toMatchObject({ caseId: 'C1', tagSource: 'activity', pinned: false });
    expect(w.tags.custody.map((e) => e.type)).toEqual(['tagged', 'tag-changed', 'tag-changed']);
  });

  it('refuses an unknown item, saying how to find ids', async () => {
    const w = await taggingWorld();
    await expect(w.tagging.retagItem('I404', { actor: 'x', at: w.clock.now(), reason: null })).rejects.toThrow('no evidence item I404; find ids with evidock query');
  });
});
