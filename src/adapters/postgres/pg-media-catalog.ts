import type pg from 'pg';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { MediaInfo } from '../../domain/media-info.ts';
import type { PlanKind } from '../../domain/media-plan.ts';
import type { MediaStage, MediaState, SettledState, StageOutcome } from '../../domain/media-state.ts';
import type { Derivative, ItemMedia, MediaCatalog, ProbeRecord } from '../../ports/media-catalog.ts';
import { appendChained } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

const custody = (events: CustodyEvent[]) => events.map((e) => ({ kind: 'custody' as const, ...e }));

function toDerivative(r: Record<string, any>): Derivative {
  return {
    role: r.role, key: r.object_key, versionId: r.object_version, contentType: r.content_type, size: r.size, sha256: r.sha256,
    width: r.width, height: r.height, durationSec: r.duration_sec, madeAt: r.made_at,
  };
}

async function upsertOutcome(db: Queryable, itemId: string, o: StageOutcome, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO media_stage_outcomes (item_id, stage, outcome, reason, at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (item_id, stage) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, at = excluded.at`,
    [itemId, o.stage, o.outcome, o.reason, at],
  );
}

/** The media pipeline's tables (migration 004), sharing the catalog's pool; custody events go into the chain. */
export class PgMediaCatalog implements MediaCatalog {
  constructor(private readonly pool: pg.Pool) {}

  async mediaOf(itemIds: string[]): Promise<Map<string, ItemMedia>> {
    const result = new Map<string, ItemMedia>();
    if (itemIds.length === 0) return result;
    const [states, derivatives] = await Promise.all([
      this.pool.query(
        `SELECT i.id, s.state, s.reason, p.plan, p.info FROM unnest($1::text[]) AS i(id)
         LEFT JOIN media_states s ON s.item_id = i.id LEFT JOIN media_probes p ON p.item_id = i.id`,
        [itemIds],
      ),
      this.pool.query(`SELECT * FROM media_derivatives WHERE item_id = ANY($1::text[]) ORDER BY item_id, role`, [itemIds]),
    ]);
    for (const r of states.rows) {
      result.set(r.id, { state: (r.state ?? 'pending') as MediaState, reason: r.reason ?? null, plan: r.plan ?? null, info: r.info ?? null, derivatives: [] });
    }
    for (const r of derivatives.rows) result.get(r.item_id)?.derivatives.push(toDerivative(r));
    return result;
  }

  async probed(itemId: string): Promise<{ plan: PlanKind; info: MediaInfo; done: MediaStage[] } | null> {
    const { rows } = await this.pool.query(
      `SELECT p.plan, p.info, array(SELECT o.stage FROM media_stage_outcomes o WHERE o.item_id = p.item_id AND o.outcome = 'done') AS done
       FROM media_probes p WHERE p.item_id = $1`,
      [itemId],
    );
    return rows[0] ? { plan: rows[0].plan, info: rows[0].info, done: rows[0].done } : null;
  }

  async recordProbe(record: ProbeRecord): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO media_probes (item_id, plan, info, probed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (item_id) DO UPDATE SET plan = excluded.plan, info = excluded.info, probed_at = excluded.probed_at`,
        [record.itemId, record.plan, JSON.stringify(record.info), record.at],
      );
      if (record.capturedAt) {
        await db.query(`UPDATE evidence_items SET captured_at = $2, captured_at_source = $3 WHERE id = $1`, [
          record.itemId, record.capturedAt.at, record.capturedAt.source,
        ]);
      }
      await upsertOutcome(db, record.itemId, { stage: 'probe', outcome: 'done', reason: null }, record.at);
      await appendChained(db, custody(record.events));
    });
  }

  async recordDerivatives(itemId: string, stage: MediaStage, derivatives: Derivative[], events: CustodyEvent[]): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      for (const d of derivatives) {
        await db.query(
          `INSERT INTO media_derivatives (item_id, role, object_key, object_version, content_type, size, sha256, width, height, duration_sec, made_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (item_id, role) DO UPDATE SET object_key = excluded.object_key, object_version = excluded.object_version,
             content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256, width = excluded.width,
             height = excluded.height, duration_sec = excluded.duration_sec, made_at = excluded.made_at`,
          [itemId, d.role, d.key, d.versionId, d.contentType, d.size, d.sha256, d.width, d.height, d.durationSec, d.madeAt],
        );
      }
      const at = derivatives[0]?.madeAt ?? new Date();
      await upsertOutcome(db, itemId, { stage, outcome: 'done', reason: null }, at);
      await appendChained(db, custody(events));
    });
  }

  async recordStageOutcome(itemId: string, outcome: StageOutcome, at: Date): Promise<void> {
    await upsertOutcome(this.pool, itemId, outcome, at);
  }

  async stageOutcomes(itemId: string): Promise<StageOutcome[]> {
    const { rows } = await this.pool.query(`SELECT stage, outcome, reason FROM media_stage_outcomes WHERE item_id = $1`, [itemId]);
    return rows.map((r) => ({ stage: r.stage, outcome: r.outcome, reason: r.reason }));
  }

  async setState(itemId: string, state: SettledState, reason: string | null, at: Date, events: CustodyEvent[]): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO media_states (item_id, state, reason, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated_at = excluded.updated_at`,
        [itemId, state, reason, at],
      );
      await appendChained(db, custody(events));
    });
  }

  async itemsAwaitingMedia(afterId: string | null, limit: number): Promise<Array<{ itemId: string; sha256: string }>> {
    const { rows } = await this.pool.query(
      `SELECT i.id, i.sha256 FROM evidence_items i
       WHERE ($1::text IS NULL OR i.id > $1) AND NOT EXISTS (SELECT 1 FROM media_states s WHERE s.item_id = i.id)
       ORDER BY i.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({ itemId: r.id, sha256: r.sha256 }));
  }
}
