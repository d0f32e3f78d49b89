import type pg from 'pg';
import type { Level } from '../../domain/permissions.ts';
import type { SearchQuery } from '../../domain/search.ts';
import type { ConfidentialityChange, ItemRow, ItemSearch } from '../../ports/item-search.ts';
import { inTransaction } from './transaction.ts';

const COLUMNS = `id, sha256, size, kind, device_serial, original_path, officer_id, case_id, category, phase, captured_at,
  captured_at_source, secured_at, status, session_id, object_original, object_original_version, object_manifest,
  checklist_row, unit, tag_source, confidentiality`;

function toRow(r: Record<string, any>): ItemRow {
  return {
    id: r.id, sha256: r.sha256, size: r.size, kind: r.kind, deviceSerial: r.device_serial, originalPath: r.original_path,
    officerId: r.officer_id, caseId: r.case_id, category: r.category, phase: r.phase, capturedAt: r.captured_at,
    capturedAtSource: r.captured_at_source, securedAt: r.secured_at, status: r.status, sessionId: r.session_id,
    objects: { original: r.object_original, originalVersion: r.object_original_version, manifest: r.object_manifest },
    checklistRow: r.checklist_row, unit: r.unit, tagSource: r.tag_source, confidentiality: r.confidentiality,
  };
}

const sortColumn = { capturedAt: 'captured_at', securedAt: 'secured_at' } as const;

/**
 * Search SQL built from the filters given (only those), always bound as parameters: no input is ever
 * spliced into the text. Keyset pagination on (sort column, id) keeps every page on an index.
 */
export function searchSql(q: SearchQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [`confidentiality = ANY(${bind(q.levels)}::text[])`];
  const f = q.filters;
  const equal: Array<[string, unknown]> = [
    ['case_id', f.caseId], ['officer_id', f.officerId], ['device_serial', f.deviceSerial], ['category', f.category],
    ['phase', f.phase], ['unit', f.unit], ['status', f.status], ['sha256', f.sha256?.toLowerCase()],
  ];
  for (const [column, value] of equal) if (value !== undefined) where.push(`${column} = ${bind(value)}`);
  if (f.since) where.push(`captured_at >= ${bind(f.since)}`);
  if (f.until) where.push(`captured_at < ${bind(f.until)}`);
  if (f.untagged !== undefined) where.push(f.untagged ? `tag_source = 'untagged'` : `tag_source <> 'untagged'`);
  const descending = q.sort.startsWith('-');
  const column = sortColumn[q.sort.replace('-', '') as keyof typeof sortColumn];
  if (q.after) where.push(`(${column}, id) ${descending ? '<' : '>'} (${bind(q.after.value)}, ${bind(q.after.id)})`);
  const order = descending ? 'DESC' : 'ASC';
  return {
    text: `SELECT ${COLUMNS} FROM evidence_items WHERE ${where.join(' AND ')} ORDER BY ${column} ${order}, id ${order} LIMIT ${bind(q.limit + 1)}`,
    values,
  };
}

export class PgItemSearch implements ItemSearch {
  constructor(private readonly pool: pg.Pool) {}

  async search(q: SearchQuery): Promise<{ rows: ItemRow[]; more: boolean }> {
    const { text, values } = searchSql(q);
    const { rows } = await this.pool.query(text, values);
    return { rows: rows.slice(0, q.limit).map(toRow), more: rows.length > q.limit };
  }

  async item(id: string): Promise<ItemRow | null> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM evidence_items WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async ofCase(caseId: string): Promise<ItemRow[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM evidence_items WHERE case_id = $1 ORDER BY captured_at, id`, [caseId]);
    return rows.map(toRow);
  }

  async items(ids: string[]): Promise<ItemRow[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM evidence_items WHERE id = ANY($1::text[]) ORDER BY captured_at, id`, [ids]);
    return rows.map(toRow);
  }

  async setConfidentiality(c: Omit<ConfidentialityChange, 'previous'>): Promise<ConfidentialityChange | null> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query(`SELECT confidentiality FROM evidence_items WHERE id = $1 FOR UPDATE`, [c.itemId]);
      if (!rows[0]) return null;
      const change = { ...c, previous: rows[0].confidentiality as Level };
      await db.query(
        `INSERT INTO confidentiality_events (item_id, previous, level, at, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.itemId, change.previous, c.level, c.at, c.actor, c.reason],
      );
      await db.query(`UPDATE evidence_items SET confidentiality = $2 WHERE id = $1`, [c.itemId, c.level]);
      return change;
    });
  }

  async confidentialityHistory(itemId: string): Promise<ConfidentialityChange[]> {
    const { rows } = await this.pool.query(`SELECT * FROM confidentiality_events WHERE item_id = $1 ORDER BY id`, [itemId]);
    return rows.map((r) => ({ itemId: r.item_id, previous: r.previous as Level, level: r.level as Level, at: r.at, actor: r.actor, reason: r.reason }));
  }
}
