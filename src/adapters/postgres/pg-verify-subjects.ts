import type pg from 'pg';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { VerifySubjects } from '../../ports/integrity-catalog.ts';
import { ITEM_COLUMNS, toItem } from './pg-catalog.ts';

/** The items verify re-hashes, from the catalog's evidence_items and the log's manifest events. */
export class PgVerifySubjects implements VerifySubjects {
  constructor(private readonly pool: pg.Pool) {}

  async count(): Promise<{ items: number; bytes: number }> {
    const { rows } = await this.pool.query('SELECT count(*)::int AS items, coalesce(sum(size), 0)::bigint AS bytes FROM evidence_items');
    return { items: rows[0].items, bytes: rows[0].bytes };
  }

  async page(afterId: string, limit: number): Promise<EvidenceItem[]> {
    const { rows } = await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM evidence_items WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
    return rows.map(toItem);
  }

  async sample(n: number): Promise<EvidenceItem[]> {
    const { rows } = await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM evidence_items ORDER BY random() LIMIT $1`, [n]);
    return rows.map(toItem);
  }

  async manifestVersion(itemId: string): Promise<string | null> {
    const { rows } = await this.pool.query(
      `SELECT details ->> 'manifestVersion' AS reindexed, details ->> 'versionId' AS written FROM custody_events
        WHERE item_id = $1 AND kind = 'custody' AND type IN ('manifest-written', 'reindexed') ORDER BY seq DESC LIMIT 1`,
      [itemId],
    );
    return rows[0] ? (rows[0].written ?? rows[0].reindexed ?? null) : null;
  }
}
