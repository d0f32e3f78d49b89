import type pg from 'pg';
import type { LateItem } from '../../domain/deadlines.ts';
import type { DeadlineFacts } from '../../ports/deadline-facts.ts';
import { appendChained } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

/** The rule an item secured past the 24-hour limit breaks. */
const B7 = 'B7-secure-within-24h';

/** The catalog facts the deadline check reads (migration 007 for the breach flags), sharing the catalog's pool. */
export class PgDeadlineFacts implements DeadlineFacts {
  constructor(private readonly pool: pg.Pool) {}

  async flagLateItems(limitMs: number, at: Date, actor: string, max: number): Promise<LateItem[]> {
    return inTransaction(this.pool, async (db) => {
      // ON CONFLICT makes concurrent checks flag each item once; only the rows this call inserted come back.
      const { rows } = await db.query(
        `WITH late AS (
           SELECT i.id, i.session_id, i.device_serial, i.officer_id, i.captured_at, i.secured_at
             FROM evidence_items i
            WHERE i.secured_at - i.captured_at > make_interval(secs => $1::double precision / 1000)
              AND NOT EXISTS (SELECT 1 FROM compliance_breaches b WHERE b.item_id = i.id AND b.rule = $2)
            ORDER BY i.secured_at LIMIT $4),
         flagged AS (
           INSERT INTO compliance_breaches (item_id, rule, delay_ms, flagged_at)
           SELECT id, $2, (extract(epoch FROM secured_at - captured_at) * 1000)::bigint, $3 FROM late
           ON CONFLICT DO NOTHING RETURNING item_id)
         SELECT late.* FROM late JOIN flagged ON flagged.item_id = late.id ORDER BY late.secured_at`,
        [limitMs, B7, at, max],
      );
      const items: LateItem[] = rows.map((r) => ({
        itemId: r.id, sessionId: r.session_id, deviceSerial: r.device_serial, officerId: r.officer_id, capturedAt: r.captured_at, securedAt: r.secured_at,
      }));
      await appendChained(db, items.map((i) => ({
        kind: 'custody' as const, type: 'compliance-breach', at, actor, itemId: i.itemId, sessionId: i.sessionId, deviceSerial: i.deviceSerial, filePath: null,
        details: { rule: B7, capturedAt: i.capturedAt.toISOString(), securedAt: i.securedAt.toISOString(), delayMs: i.securedAt.getTime() - i.capturedAt.getTime(), limitMs },
      })));
      return items;
    });
  }

  async lateItemCount(): Promise<number> {
    const { rows } = await this.pool.query('SELECT count(*)::int AS n FROM compliance_breaches WHERE rule = $1', [B7]);
    return rows[0].n;
  }

  async evidenceTotals(): Promise<{ items: number; bytes: number }> {
    const { rows } = await this.pool.query('SELECT count(*)::int AS items, coalesce(sum(size), 0)::bigint AS bytes FROM evidence_items');
    return { items: rows[0].items, bytes: Number(rows[0].bytes) };
  }

  async newestRecordings(serials: string[]): Promise<Map<string, Date>> {
    if (serials.length === 0) return new Map();
    const { rows } = await this.pool.query(
      `SELECT s.serial, (SELECT max(captured_at) FROM evidence_items i WHERE i.device_serial = s.serial) AS newest
         FROM unnest($1::text[]) AS s(serial)`,
      [serials],
    );
    return new Map(rows.filter((r) => r.newest).map((r) => [r.serial, r.newest]));
  }
}
