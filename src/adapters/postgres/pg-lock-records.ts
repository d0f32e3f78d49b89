import type pg from 'pg';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { HoldRecord, ItemLockSubject, LockRecords, RetentionRecord } from '../../ports/lock-records.ts';
import type { StoredObject } from '../../ports/object-store.ts';
import { appendChained } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

function toRetention(r: Record<string, any>): RetentionRecord {
  return {
    itemId: r.item_id, object: { key: r.object_key, versionId: r.version_id }, retentionClass: r.retention_class,
    mode: r.mode, retainUntil: r.retain_until, setAt: r.set_at,
  };
}

const CURRENT_LOCKS = `SELECT DISTINCT ON (object_key, version_id) * FROM object_locks ORDER BY object_key, version_id, id DESC`;
/** The latest hold action per item and case, within a filter on legal_hold_events. */
const currentHolds = (where: string) =>
  `SELECT * FROM (SELECT DISTINCT ON (item_id, case_id) item_id, case_id, action FROM legal_hold_events WHERE ${where}
     ORDER BY item_id, case_id, id DESC) h WHERE action = 'placed' ORDER BY item_id, case_id`;

/** Retention and legal-hold records in PostgreSQL, sharing the catalog's pool; custody events go into the chain. */
export class PgLockRecords implements LockRecords {
  constructor(private readonly pool: pg.Pool) {}

  async lockSubject(itemId: string): Promise<ItemLockSubject | null> {
    const { rows } = await this.pool.query(
      `SELECT i.id, i.secured_at, i.object_original, i.object_original_version, i.object_manifest, i.checklist_row, i.case_id,
              EXISTS (SELECT 1 FROM case_files f JOIN case_file_events e ON e.case_file_id = f.id
                       WHERE f.case_id = i.case_id AND e.status = 'archived') AS case_archived
         FROM evidence_items i WHERE i.id = $1`,
      [itemId],
    );
    const r = rows[0];
    return r
      ? {
          itemId: r.id, securedAt: r.secured_at, original: { key: r.object_original, versionId: r.object_original_version }, manifestKey: r.object_manifest,
          checklistRow: r.checklist_row, caseId: r.case_id, caseArchived: r.case_archived,
        }
      : null;
  }

  async currentRetention(object: StoredObject): Promise<RetentionRecord | null> {
    const { rows } = await this.pool.query(
      'SELECT * FROM object_locks WHERE object_key = $1 AND version_id IS NOT DISTINCT FROM $2 ORDER BY id DESC LIMIT 1',
      [object.key, object.versionId],
    );
    return rows[0] ? toRetention(rows[0]) : null;
  }

  async recordRetention(records: RetentionRecord[], events: CustodyEvent[]): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      for (const r of records) {
        await db.query(
          `INSERT INTO object_locks (item_id, object_key, version_id, retention_class, mode, retain_until, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [r.itemId, r.object.key, r.object.versionId, r.retentionClass, r.mode, r.retainUntil, r.setAt],
        );
      }
      await appendChained(db, events.map((e) => ({ kind: 'custody', ...e })));
    });
  }

  async expiring(before: Date, limit: number): Promise<RetentionRecord[]> {
    const { rows } = await this.pool.query(`SELECT * FROM (${CURRENT_LOCKS}) l WHERE retain_until < $1 ORDER BY retain_until, object_key LIMIT $2`, [before, limit]);
    return rows.map(toRetention);
  }

  async recordHolds(records: HoldRecord[], events: CustodyEvent[]): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      for (const r of records) {
        await db.query('INSERT INTO legal_hold_events (item_id, case_id, action, at, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)', [
          r.itemId, r.caseId, r.action, r.at, r.actor, r.reason,
        ]);
      }
      await appendChained(db, events.map((e) => ({ kind: 'custody', ...e })));
    });
  }

  async heldBy(caseId: string): Promise<string[]> {
    const { rows } = await this.pool.query(currentHolds('case_id = $1'), [caseId]);
    return rows.map((r) => r.item_id);
  }

  async holding(itemId: string): Promise<string[]> {
    const { rows } = await this.pool.query(currentHolds('item_id = $1'), [itemId]);
    return rows.map((r) => r.case_id);
  }
}
