import type pg from 'pg';
import type { CopyEvent } from '../../domain/copy-requests.ts';
import type { CaseClosure, CaseFileRecord, CaseRecords, CopyRequest } from '../../ports/case-records.ts';
import { inTransaction } from './transaction.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

const toClosure = (r: Record<string, any>): CaseClosure => ({ caseId: r.case_id, endedAt: r.ended_at, closedAt: r.closed_at, closedBy: r.closed_by, reason: r.reason });

const CASE_FILE_SELECT = `
  SELECT f.*, a.at AS archived_at, a.actor AS archived_by FROM case_files f
    LEFT JOIN LATERAL (SELECT at, actor FROM case_file_events WHERE case_file_id = f.id AND status = 'archived' ORDER BY id LIMIT 1) a ON true`;

function toCaseFile(r: Record<string, any>): CaseFileRecord {
  return {
    id: r.id, caseId: r.case_id, caseEndedAt: r.case_ended_at, dueAt: r.due_at, filedAt: r.filed_at, filedBy: r.filed_by,
    itemCount: r.item_count, manifest: { key: r.manifest_key, versionId: r.manifest_version }, manifestSha256: r.manifest_sha256,
    archivedAt: r.archived_at ?? null, archivedBy: r.archived_by ?? null,
  };
}

const toCopyEvent = (r: Record<string, any>): CopyEvent => ({ action: r.action, at: r.at, actor: r.actor, reason: r.reason, details: r.details });

async function copyEvents(db: Queryable, ids: string[]): Promise<Map<string, CopyEvent[]>> {
  const { rows } = await db.query(`SELECT * FROM copy_request_events WHERE request_id = ANY($1::text[]) ORDER BY id`, [ids]);
  const byRequest = new Map<string, CopyEvent[]>(ids.map((id) => [id, []]));
  for (const r of rows) byRequest.get(r.request_id)!.push(toCopyEvent(r));
  return byRequest;
}

export class PgCaseRecords implements CaseRecords {
  constructor(private readonly pool: pg.Pool) {}

  async closeCase(c: CaseClosure): Promise<void> {
    await this.pool.query(`INSERT INTO case_closures (case_id, ended_at, closed_at, closed_by, reason) VALUES ($1, $2, $3, $4, $5)`, [
      c.caseId, c.endedAt, c.closedAt, c.closedBy, c.reason,
    ]);
  }

  async closure(caseId: string): Promise<CaseClosure | null> {
    const { rows } = await this.pool.query(`SELECT * FROM case_closures WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, [caseId]);
    return rows[0] ? toClosure(rows[0]) : null;
  }

  async closedCases(): Promise<Array<{ closure: CaseClosure; file: CaseFileRecord | null }>> {
    const [closures, files] = await Promise.all([
      this.pool.query(`SELECT DISTINCT ON (case_id) * FROM case_closures ORDER BY case_id, id DESC`),
      this.pool.query(CASE_FILE_SELECT),
    ]);
    const fileOf = new Map(files.rows.map((r) => [r.case_id as string, toCaseFile(r)]));
    return closures.rows
      .map((r) => ({ closure: toClosure(r), file: fileOf.get(r.case_id) ?? null }))
      .sort((a, b) => a.closure.endedAt.getTime() - b.closure.endedAt.getTime() || a.closure.caseId.localeCompare(b.closure.caseId));
  }

  async addCaseFile(f: Omit<CaseFileRecord, 'archivedAt' | 'archivedBy'>): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO case_files (id, case_id, case_ended_at, due_at, filed_at, filed_by, item_count, manifest_key, manifest_version, manifest_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (case_id) DO NOTHING`,
      [f.id, f.caseId, f.caseEndedAt, f.dueAt, f.filedAt, f.filedBy, f.itemCount, f.manifest.key, f.manifest.versionId, f.manifestSha256],
    );
    return rowCount === 1;
  }

  async caseFile(id: string): Promise<CaseFileRecord | null> {
    const { rows } = await this.pool.query(`${CASE_FILE_SELECT} WHERE f.id = $1`, [id]);
    return rows[0] ? toCaseFile(rows[0]) : null;
  }

  async caseFileOfCase(caseId: string): Promise<CaseFileRecord | null> {
    const { rows } = await this.pool.query(`${CASE_FILE_SELECT} WHERE f.case_id = $1`, [caseId]);
    return rows[0] ? toCaseFile(rows[0]) : null;
  }

  async archiveCaseFile(id: string, at: Date, actor: string, reason: string | null): Promise<void> {
    await this.pool.query(`INSERT INTO case_file_events (case_file_id, status, at, actor, reason) VALUES ($1, 'archived', $2, $3, $4)`, [id, at, actor, reason]);
  }

  async addCopyRequest(r: Omit<CopyRequest, 'events'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO copy_requests (id, party, reason, item_ids, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.id, r.party, r.reason, r.itemIds, r.createdAt, r.createdBy],
    );
  }

  async copyRequest(id: string): Promise<CopyRequest | null> {
    const { rows } = await this.pool.query(`SELECT * FROM copy_requests WHERE id = $1`, [id]);
    if (!rows[0]) return null;
    const events = await copyEvents(this.pool, [id]);
    return toCopyRequest(rows[0], events.get(id)!);
  }

  async copyRequests(): Promise<CopyRequest[]> {
    const { rows } = await this.pool.query(`SELECT * FROM copy_requests ORDER BY created_at DESC, id DESC`);
    const events = await copyEvents(this.pool, rows.map((r) => r.id));
    return rows.map((r) => toCopyRequest(r, events.get(r.id)!));
  }

  async addCopyEvent(requestId: string, event: CopyEvent, check: (events: CopyEvent[]) => void): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(`SELECT 1 FROM copy_requests WHERE id = $1 FOR UPDATE`, [requestId]);
      check((await copyEvents(db, [requestId])).get(requestId)!);
      await db.query(`INSERT INTO copy_request_events (request_id, action, at, actor, reason, details) VALUES ($1, $2, $3, $4, $5, $6)`, [
        requestId, event.action, event.at, event.actor, event.reason, JSON.stringify(event.details),
      ]);
    });
  }
}

function toCopyRequest(r: Record<string, any>, events: CopyEvent[]): CopyRequest {
  return { id: r.id, party: r.party, reason: r.reason, itemIds: r.item_ids, createdAt: r.created_at, createdBy: r.created_by, events };
}
