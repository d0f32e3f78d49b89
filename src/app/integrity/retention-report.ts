import type { VerifySubjects } from '../../ports/integrity-catalog.ts';
import type { LockRecords, RetentionRecord } from '../../ports/lock-records.ts';
import type { ObjectLock } from '../../ports/object-lock.ts';
import type { ObjectStore, StoredObject } from '../../ports/object-store.ts';
import { lockedObjects, lockProblems, readLockState } from './lock-check.ts';

export interface RetentionReportDeps {
  lockRecords: LockRecords;
  objects: ObjectLock;
  store: ObjectStore;
  subjects: VerifySubjects;
}

/** One object whose retention ends soon by the catalog or by the bucket, or whose lock differs from the catalog. */
export interface RetentionRow {
  itemId: string | null;
  key: string;
  versionId: string | null;
  /** What the catalog recorded last (null: it recorded none for this version). */
  retentionClass: RetentionRecord['retentionClass'] | null;
  mode: string | null;
  retainUntil: string | null;
  legalHolds: string[];
  /** The lock read back from the bucket itself. */
  bucket: { mode: string | null; retainUntil: string | null; legalHold: boolean };
  /** How the bucket's lock differs from the catalog (empty: it matches). */
  differs: string[];
}

const PAGE = 500;
const idOf = (o: StoredObject) => `${o.key}\u0000${o.versionId ?? ''}`;

async function rowFor(deps: RetentionReportDeps, object: StoredObject, itemId: string | null): Promise<RetentionRow> {
  const [state, recorded, holds] = await Promise.all([
    readLockState(deps.objects, object),
    deps.lockRecords.currentRetention(object),
    itemId ? deps.lockRecords.holding(itemId) : Promise.resolve([]),
  ]);
  return {
    itemId, key: object.key, versionId: object.versionId,
    retentionClass: recorded?.retentionClass ?? null, mode: recorded?.mode ?? null, retainUntil: recorded?.retainUntil.toISOString() ?? null,
    legalHolds: holds,
    bucket: { mode: state.mode, retainUntil: state.until?.toISOString() ?? null, legalHold: state.legalHold },
    differs: await lockProblems({ lock: deps.objects, records: deps.lockRecords }, object, holds),
  };
}

/**
 * `evidock retention`: retentions ending before `before`, by the catalog and by the objects themselves (every
 * item's original and current manifest is read back), with any object whose lock differs from the catalog
 * (a shortened lock, a lifted hold) whenever it ends. Soonest first by the bucket's date.
 */
export async function retentionReport(deps: RetentionReportDeps, before: Date, limit: number): Promise<RetentionRow[]> {
  const rows = new Map<string, RetentionRow>();
  for (const r of await deps.lockRecords.expiring(before, limit)) rows.set(idOf(r.object), await rowFor(deps, r.object, r.itemId));
  for (let after = ''; ; ) {
    const page = await deps.subjects.page(after, PAGE);
    if (page.length === 0) break;
    for (const item of page) {
      const manifest = await deps.store.stat(item.objects.manifest);
      for (const { object } of lockedObjects(item, manifest?.versionId ?? null)) {
        if (rows.has(idOf(object))) continue;
        const row = await rowFor(deps, object, item.id);
        const endsSoon = row.bucket.retainUntil !== null && new Date(row.bucket.retainUntil) < before;
        if (endsSoon || row.differs.length > 0) rows.set(idOf(object), row);
      }
    }
    after = page.at(-1)!.id;
  }
  const ends = (r: RetentionRow) => r.bucket.retainUntil ?? r.retainUntil ?? '';
  return [...rows.values()].sort((a, b) => ends(a).localeCompare(ends(b))).slice(0, limit);
}
