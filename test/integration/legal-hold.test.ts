import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minioClient } from '../../src/adapters/embedded/minio.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

const DAY = 86_400_000;

describe('legal holds per case and retention by class (real MinIO object lock)', () => {
  let h: Harness;
  let a: EvidenceItem;
  let b: EvidenceItem;
  let c: EvidenceItem;
  const core = () => h.deps;
  const held = async (item: EvidenceItem) => {
    const manifest = await h.deps.store.stat(item.objects.manifest);
    return [
      await core().objects.legalHold({ key: item.objects.original, versionId: item.objects.originalVersion }),
      await core().objects.legalHold({ key: manifest!.key, versionId: manifest!.versionId }),
    ];
  };
  const retainedDays = async (item: EvidenceItem) =>
    ((await core().objects.retention({ key: item.objects.original, versionId: item.objects.originalVersion }))!.until.getTime() - item.securedAt.getTime()) / DAY;

  beforeAll(async () => {
    h = await createHarness();
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath: makeDevice(join(h.dockDir, 'BWC-0300'), { 'a.mp4': 5_000, 'b.mp4': 6_000, 'c.mp4': 7_000 }), volumeLabel: null });
    await h.waitForSession('BWC-0300');
    const byPath = new Map((await h.deps.catalog.queryItems({ device: 'BWC-0300' })).map((i) => [i.originalPath, i]));
    [a, b, c] = [byPath.get('a.mp4')!, byPath.get('b.mp4')!, byPath.get('c.mp4')!];
  });

  afterAll(async () => h?.close());

  it('puts a hold on the original and manifest of every item of an open case', async () => {
    await h.deps.locks.placeCaseHold('CASE-1', [a.id, b.id], 'A-1', 'case opened');
    await h.deps.locks.placeCaseHold('CASE-2', [b.id], 'A-1', 'case opened');
    await h.deps.locks.placeCaseHold('CASE-2', [b.id], 'A-1', 'placed twice: recorded once');
    expect([await held(a), await held(b), await held(c)]).toEqual([[true, true], [true, true], [false, false]]);
    const events = (await h.deps.catalog.custodyEvents({ itemId: b.id })).filter((e) => e.type === 'legal-hold-placed');
    expect(events.map((e) => e.details.caseId)).toEqual(['CASE-1', 'CASE-2']);
  });

  it('a held object cannot be deleted even with the governance bypass', async () => {
    const client = minioClient(h.endpoints.minio);
    const bucket = h.endpoints.minio.bucket;
    await expect(client.removeObject(bucket, a.objects.original, { versionId: a.objects.originalVersion!, governanceBypass: true })).rejects.toThrow();
    expect((await h.deps.store.stat(a.objects.original, a.objects.originalVersion))?.size).toBe(a.size);
  });

  it('lifts a case hold when its case file is archived, keeping items another open case holds', async () => {
    expect(await h.deps.locks.liftCaseHold('CASE-1', [a.id, b.id, c.id], 'A-1', 'case file archived')).toEqual({ released: [a.id], stillHeld: [b.id] });
    expect([await held(a), await held(b)]).toEqual([[false, false], [true, true]]);
    expect(await h.deps.locks.liftCaseHold('CASE-2', [b.id], 'A-1', 'case file archived')).toEqual({ released: [b.id], stillHeld: [] });
    expect(await held(b)).toEqual([false, false]);
    const lifted = (await h.deps.catalog.custodyEvents({ itemId: b.id })).filter((e) => e.type === 'legal-hold-lifted');
    expect(lifted.map((e) => e.details)).toEqual([
      { caseId: 'CASE-1', reason: 'case file archived', stillHeldBy: ['CASE-2'] },
      { caseId: 'CASE-2', reason: 'case file archived', stillHeldBy: [] },
    ]);
  });

  it('holds an item tagged with an open case when its locks are applied (as tagging does), and not once its case file is archived', async () => {
    const pool = h.deps.catalog.pool;
    await pool.query(`UPDATE evidence_items SET case_id = 'CASE-3' WHERE id = $1`, [c.id]);
    await h.deps.locks.protectItem(c.id, 'A-2');
    expect(await held(c)).toEqual([true, true]);
    await pool.query(`INSERT INTO case_files (id, case_id, case_ended_at, due_at, filed_at, filed_by, item_count, manifest_key, manifest_sha256)
                      VALUES ('CF-3', 'CASE-3', now(), now(), now(), 'A-2', 1, 'case-files/CF-3.json', 'x')`);
    await pool.query(`INSERT INTO case_file_events (case_file_id, status, at, actor) VALUES ('CF-3', 'archived', now(), 'A-2')`);
    expect(await h.deps.locks.liftCaseHold('CASE-3', [c.id], 'A-2', 'case file archived')).toEqual({ released: [c.id], stillHeld: [] });
    await h.deps.locks.protectItem(c.id, 'A-2');
    expect(await held(c)).toEqual([false, false]);
  });

  it('keeps the longest class an item has, and permanently once filed in a case file; never shortens', async () => {
    const { classes } = h.config.retention;
    expect(await retainedDays(a)).toBeCloseTo(classes.standard, 3);
    expect(await h.deps.locks.protectItem(a.id, 'A-1', ['long', 'standard'])).toMatchObject({ retentionClass: 'long' });
    expect(await retainedDays(a)).toBeCloseTo(classes.long, 3);
    await h.deps.locks.protectItem(a.id, 'A-1');
    expect(await retainedDays(a)).toBeCloseTo(classes.long, 3);
    await h.deps.locks.fileInCaseFile([a.id], 'CF-1', 'A-1');
    expect(await retainedDays(a)).toBeCloseTo(classes.permanent, 3);
    const set = (await h.deps.catalog.custodyEvents({ itemId: a.id })).filter((e) => e.type === 'retention-set').map((e) => e.details.retentionClass);
    expect(set).toEqual(['standard', 'long', 'permanent']);
  });

  it('locks a case-file manifest permanently', async () => {
    const stored = await h.deps.store.put('case-files/CF-1/manifest.json', Buffer.from('{"caseFile":"CF-1"}'), { contentType: 'application/json' });
    await h.deps.locks.lockObject(stored, 'A-1');
    const retention = await core().objects.retention(stored);
    expect((retention!.until.getTime() - Date.now()) / DAY).toBeCloseTo(h.config.retention.classes.permanent, 0);
  });
});
