import type pg from 'pg';
import type { NewActivity } from '../../domain/activities.ts';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { ActivityWindow, Candidate, TagState } from '../../domain/matching.ts';
import type { Act } from '../../ports/registry.ts';
import type { CaseItem, DeviceHints, ItemTags, TagChange, TagEvent, TagStore } from '../../ports/tag-store.ts';
import { appendChained } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

const toActivity = (r: Record<string, any>): ActivityWindow => ({
  id: Number(r.id), caseId: r.case_id, category: r.category, phase: r.phase, officerId: r.officer_id, startsAt: r.starts_at, endsAt: r.ends_at, place: r.place,
});

const toEvent = (r: Record<string, any>): TagEvent => ({
  itemId: r.item_id, at: r.at, actor: r.actor, reason: r.reason, source: r.source, previous: r.previous, current: r.current, candidates: r.candidates,
});

/** Activities, device hints and tag history in PostgreSQL, sharing the catalog's pool. */
export class PgTagStore implements TagStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordImport(file: { name: string; sha256: string; rows: number }, activities: NewActivity[], act: Act, custody: (importId: number, added: number) => CustodyEvent) {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
        `INSERT INTO activity_imports (file_name, file_sha256, row_count, added, imported_by, imported_at) VALUES ($1, $2, $3, 0, $4, $5) RETURNING id`,
        [file.name, file.sha256, file.rows, act.actor, act.at],
      );
      const importId = Number(rows[0].id);
      const inserted = await db.query(
        `INSERT INTO activities (case_id, category, phase, officer_id, starts_at, ends_at, starts_raw, ends_raw, place, source_row, import_id)
         SELECT *, $11::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::int[])
         ON CONFLICT DO NOTHING`,
        [
          activities.map((a) => a.caseId), activities.map((a) => a.category), activities.map((a) => a.phase), activities.map((a) => a.officerId),
          activities.map((a) => a.startsAt), activities.map((a) => a.endsAt), activities.map((a) => a.startsRaw), activities.map((a) => a.endsRaw),
          activities.map((a) => a.place), activities.map((a) => a.sourceRow), importId,
        ],
      );
      const added = inserted.rowCount ?? 0;
      await db.query(`UPDATE activity_imports SET added = $2 WHERE id = $1`, [importId, added]);
      await appendChained(db, [{ kind: 'custody', ...custody(importId, added) }]);
      return { importId, added };
    });
  }

  async activitiesAround(officerIds: string[], at: Date, marginMs: number): Promise<ActivityWindow[]> {
    if (officerIds.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT * FROM activities WHERE officer_id = ANY($1) AND starts_at <= $2::timestamptz + $3 * interval '1 millisecond'
         AND ends_at >= $2::timestamptz - $3 * interval '1 millisecond' ORDER BY starts_at, id`,
      [officerIds, at, marginMs],
    );
    return rows.map(toActivity);
  }

  async activitiesOfCase(caseId: string): Promise<ActivityWindow[]> {
    const { rows } = await this.pool.query(`SELECT * FROM activities WHERE case_id = $1 ORDER BY starts_at, id`, [caseId]);
    return rows.map(toActivity);
  }

  async saveHints(itemId: string, h: DeviceHints, at: Date): Promise<void> {
    const s = h.says;
    await this.pool.query(
      `INSERT INTO item_device_hints (item_id, parser, raw_name, device_id, badge, captured_at, captured_local, utc_offset_minutes, checklist_row, sidecar, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (item_id) DO NOTHING`,
      [itemId, s?.parser ?? null, h.rawName, s?.deviceId ?? null, s?.badge ?? null, s?.capturedAt ?? null, s?.capturedLocal ?? null,
        s?.utcOffsetMinutes ?? null, s?.checklistRowId ?? null, h.sidecars.length > 0 ? JSON.stringify(h.sidecars) : null, at],
    );
  }

  async hints(itemId: string): Promise<DeviceHints | null> {
    const { rows } = await this.pool.query(`SELECT * FROM item_device_hints WHERE item_id = $1`, [itemId]);
    const r = rows[0];
    if (!r) return null;
    return {
      rawName: r.raw_name,
      // Rows written before several sidecars were read hold one object.
      sidecars: Array.isArray(r.sidecar) ? r.sidecar : r.sidecar ? [r.sidecar] : [],
      says: r.parser
        ? { parser: r.parser, deviceId: r.device_id, badge: r.badge, capturedAt: r.captured_at, capturedLocal: r.captured_local, utcOffsetMinutes: r.utc_offset_minutes, checklistRowId: r.checklist_row }
        : null,
    };
  }

  async item(itemId: string) {
    const { rows } = await this.pool.query(
      `SELECT id, device_serial, captured_at, object_original, object_original_version FROM evidence_items WHERE id = $1`,
      [itemId],
    );
    const r = rows[0];
    return r ? { id: r.id, deviceSerial: r.device_serial, capturedAt: r.captured_at, original: r.object_original, originalVersion: r.object_original_version } : null;
  }

  async changeTags(itemId: string, decide: (latest: { state: TagState; candidates: Candidate[] } | null) => TagChange | null): Promise<TagChange | null> {
    return inTransaction(this.pool, async (db) => {
      const locked = await db.query(`SELECT id FROM evidence_items WHERE id = $1 FOR UPDATE`, [itemId]);
      if (locked.rowCount === 0) throw new Error(`no evidence item ${itemId}`);
      const { rows } = await db.query(`SELECT current, candidates FROM tag_events WHERE item_id = $1 ORDER BY id DESC LIMIT 1`, [itemId]);
      const change = decide(rows[0] ? { state: rows[0].current, candidates: rows[0].candidates } : null);
      if (!change) return null;
      const { event } = change;
      const c = event.current;
      await db.query(
        `INSERT INTO tag_events (item_id, at, actor, reason, source, previous, current, candidates) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [itemId, event.at, event.actor, event.reason, event.source, JSON.stringify(event.previous), JSON.stringify(c), JSON.stringify(event.candidates)],
      );
      await db.query(
        `UPDATE evidence_items SET case_id = $2, category = $3, phase = $4, checklist_row = $5, unit = $6, tag_source = $7, officer_id = $8, officer_source = $9
         WHERE id = $1`,
        [itemId, c.caseId, c.category, c.phase, c.checklistRow, c.unit, c.tagSource, c.officerId, c.officerSource],
      );
      await appendChained(db, [{ kind: 'custody', ...change.custody }]);
      return change;
    });
  }

  async tagHistory(itemId: string): Promise<TagEvent[]> {
    const { rows } = await this.pool.query(`SELECT * FROM tag_events WHERE item_id = $1 ORDER BY id`, [itemId]);
    return rows.map(toEvent);
  }

  async currentTags(itemIds: string[]): Promise<Map<string, ItemTags>> {
    const { rows } = await this.pool.query(
      `SELECT i.id, i.checklist_row, i.unit, i.tag_source, i.officer_source, coalesce(t.candidates, '[]') AS candidates
         FROM evidence_items i
         LEFT JOIN LATERAL (SELECT candidates FROM tag_events WHERE item_id = i.id ORDER BY id DESC LIMIT 1) t ON true
        WHERE i.id = ANY($1)`,
      [itemIds],
    );
    return new Map(rows.map((r) => [r.id as string, {
      checklistRow: r.checklist_row, unit: r.unit, tagSource: r.tag_source, officerSource: r.officer_source, candidates: r.candidates,
    }]));
  }

  async itemsOfOfficer(officerId: string, from: Date, to: Date): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT id FROM evidence_items WHERE officer_id = $1 AND captured_at BETWEEN $2 AND $3 ORDER BY captured_at, id`,
      [officerId, from, to],
    );
    return rows.map((r) => r.id);
  }

  async itemsOfDevice(serial: string, from: Date): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT i.id FROM evidence_items i LEFT JOIN item_device_hints h ON h.item_id = i.id
        WHERE (i.device_serial = $1 OR h.device_id = $1) AND i.captured_at >= $2 ORDER BY i.captured_at, i.id`,
      [serial, from],
    );
    return rows.map((r) => r.id);
  }

  async itemsNamingBadge(badge: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT i.id FROM evidence_items i JOIN item_device_hints h ON h.item_id = i.id WHERE h.badge = $1 ORDER BY i.captured_at, i.id`,
      [badge],
    );
    return rows.map((r) => r.id);
  }

  async itemsOfCase(caseId: string): Promise<CaseItem[]> {
    const { rows } = await this.pool.query(
      `SELECT id, kind, category, phase, checklist_row, officer_id, captured_at, tag_source FROM evidence_items WHERE case_id = $1 ORDER BY captured_at, id`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id, kind: r.kind, category: r.category, phase: r.phase, checklistRow: r.checklist_row, officerId: r.officer_id, capturedAt: r.captured_at, tagSource: r.tag_source,
    }));
  }

  async itemsWithCandidateCase(caseId: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT i.id FROM evidence_items i
         JOIN LATERAL (SELECT candidates FROM tag_events WHERE item_id = i.id ORDER BY id DESC LIMIT 1) t ON true
        WHERE i.case_id IS NULL AND t.candidates @> $1::jsonb ORDER BY i.captured_at, i.id`,
      [JSON.stringify([{ caseId }])],
    );
    return rows.map((r) => r.id);
  }
}
