import pg from 'pg';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type {
  Catalog,
  DuplicateFileRecord,
  ItemQuery,
  SecuredFileRecord,
  SessionFile,
  SessionFileState,
  SessionProgress,
} from '../../ports/catalog.ts';
import type { Logger } from '../../log.ts';
import { logErrors, watchErrors } from '../error-watch.ts';
import { migrate } from './migrate.ts';
import { appendChained, chainEarlierRows } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

// bigint columns (sizes, mtimes) come back as numbers: files are far below 2^53 bytes.
pg.types.setTypeParser(20, (v) => Number(v));

type Queryable = Pick<pg.PoolClient, 'query'>;

export const ITEM_COLUMNS = `id, sha256, size, kind, device_serial, original_path, officer_id, case_id, category, phase,
  captured_at, captured_at_source, secured_at, status, session_id, object_original, object_original_version, object_manifest`;

/** The filters of an ItemQuery ($1..$7); `sha256` may be a prefix (the full hash is one too). */
const ITEM_FILTERS = `($1::text IS NULL OR device_serial = $1) AND ($2::text IS NULL OR officer_id = $2)
  AND ($3::text IS NULL OR case_id = $3) AND ($4::text IS NULL OR sha256 LIKE lower($4) || '%')
  AND ($5::timestamptz IS NULL OR captured_at >= $5) AND ($6::timestamptz IS NULL OR captured_at < $6)
  AND (NOT $7::boolean OR case_id IS NULL)`;

function itemFilterValues(q: ItemQuery): unknown[] {
  return [q.device ?? null, q.officer ?? null, q.caseId ?? null, q.sha256 ?? null, q.since ?? null, q.until ?? null, q.untagged ?? false];
}

export function toItem(r: Record<string, any>): EvidenceItem {
  return {
    id: r.id,
    sha256: r.sha256,
    size: r.size,
    kind: r.kind,
    deviceSerial: r.device_serial,
    originalPath: r.original_path,
    officerId: r.officer_id,
    caseId: r.case_id,
    category: r.category,
    phase: r.phase,
    capturedAt: r.captured_at,
    capturedAtSource: r.captured_at_source,
    securedAt: r.secured_at,
    status: r.status,
    sessionId: r.session_id,
    objects: { original: r.object_original, originalVersion: r.object_original_version, manifest: r.object_manifest },
  };
}

function toEvent(r: Record<string, any>): CustodyEvent {
  return {
    type: r.type,
    at: r.at,
    actor: r.actor,
    itemId: r.item_id,
    sessionId: r.session_id,
    deviceSerial: r.device_serial,
    filePath: r.file_path,
    details: r.details,
  };
}

const SESSION_PROGRESS = `
  SELECT s.id, s.device_serial, s.dock_host, s.mount_path, s.state, s.reason, s.started_at, s.ended_at,
         count(f.rel_path) FILTER (WHERE f.kind IS NOT NULL)::int AS files_total,
         count(f.rel_path) FILTER (WHERE f.kind IS NOT NULL AND f.state <> 'pending')::int AS files_done,
         count(f.rel_path) FILTER (WHERE f.state IN ('secured', 'duplicate'))::int AS files_secured,
         count(f.rel_path) FILTER (WHERE f.kind IS NOT NULL AND f.state IN ('failed', 'refused'))::int AS files_failed,
         coalesce(sum(f.size) FILTER (WHERE f.kind IS NOT NULL), 0)::bigint AS bytes_total,
         coalesce(sum(f.size) FILTER (WHERE f.state IN ('secured', 'duplicate')), 0)::bigint AS bytes_secured
    FROM dock_sessions s LEFT JOIN session_files f ON f.session_id = s.id`;

function toProgress(r: Record<string, any>): SessionProgress {
  return {
    id: r.id,
    deviceSerial: r.device_serial,
    dockHost: r.dock_host,
    mountPath: r.mount_path,
    state: r.state,
    reason: r.reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    filesTotal: r.files_total,
    filesDone: r.files_done,
    filesSecured: r.files_secured,
    filesFailed: r.files_failed,
    bytesTotal: r.bytes_total,
    bytesSecured: r.bytes_secured,
  };
}

/** Custody events go into the one hash-chained log (see pg-audit-log.ts); call inside a transaction. */
async function insertEvents(db: Queryable, events: CustodyEvent[]): Promise<void> {
  await appendChained(db, events.map((e) => ({ kind: 'custody', ...e })));
}

/** The evidence catalog in PostgreSQL. */
export class PgCatalog implements Catalog {
  private constructor(readonly pool: pg.Pool) {}

  /** Connects and brings the schema up to date. */
  static async connect(url: string, log: Logger): Promise<PgCatalog> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    // An idle client that loses its server emits 'error'; without a listener that would end the process.
    logErrors(pool, watchErrors('postgres pool', log), { emitter: pool, event: 'connect' });
    await migrate(pool);
    await chainEarlierRows(pool);
    return new PgCatalog(pool);
  }

  private async transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async officerOnDevice(serial: string, at: Date): Promise<string | null> {
    const { rows } = await this.pool.query(
      `SELECT officer_id FROM device_assignments WHERE device_serial = $1 AND valid_from <= $2
       ORDER BY valid_from DESC, id DESC LIMIT 1`,
      [serial, at],
    );
    return rows[0]?.officer_id ?? null;
  }

  async openSessionsAt(dockHost: string, mountPath: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT id FROM dock_sessions WHERE dock_host = $1 AND mount_path = $2 AND ended_at IS NULL ORDER BY id`,
      [dockHost, mountPath],
    );
    return rows.map((r) => r.id);
  }

  async addSessionFiles(sessionId: string, files: Array<Omit<SessionFile, 'itemId'>>): Promise<void> {
    for (let i = 0; i < files.length; i += 5000) {
      const chunk = files.slice(i, i + 5000);
      await this.pool.query(
        `INSERT INTO session_files (session_id, rel_path, size, mtime_ms, kind, state, reason)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[])
         ON CONFLICT (session_id, rel_path) DO NOTHING`,
        [
          sessionId,
          chunk.map((f) => f.relPath),
          chunk.map((f) => f.size),
          chunk.map((f) => Math.trunc(f.mtimeMs)),
          chunk.map((f) => f.kind),
          chunk.map((f) => f.state),
          chunk.map((f) => f.reason),
        ],
      );
    }
  }

  async sessionFile(sessionId: string, relPath: string): Promise<SessionFile | null> {
    const { rows } = await this.pool.query(`SELECT * FROM session_files WHERE session_id = $1 AND rel_path = $2`, [sessionId, relPath]);
    const r = rows[0];
    return r
      ? { relPath: r.rel_path, size: r.size, mtimeMs: r.mtime_ms, kind: r.kind, state: r.state, itemId: r.item_id, reason: r.reason }
      : null;
  }

  async markSessionFile(sessionId: string, relPath: string, state: SessionFileState, reason: string | null, itemId: string | null = null): Promise<void> {
    await markFile(this.pool, sessionId, relPath, state, reason, itemId);
  }

  async sessionProgress(sessionId: string): Promise<SessionProgress | null> {
    const { rows } = await this.pool.query(`${SESSION_PROGRESS} WHERE s.id = $1 GROUP BY s.id`, [sessionId]);
    return rows[0] ? toProgress(rows[0]) : null;
  }

  async hasPendingFiles(sessionId: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT 1 FROM session_files WHERE session_id = $1 AND state = 'pending' AND kind IS NOT NULL LIMIT 1`, [sessionId]);
    return rows.length > 0;
  }

  async markFileProtected(sessionId: string, relPath: string, at: Date): Promise<void> {
    await this.pool.query(`UPDATE session_files SET protected_at = coalesce(protected_at, $3) WHERE session_id = $1 AND rel_path = $2`, [sessionId, relPath, at]);
  }

  async unprotectedFiles(sessionId: string): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT count(*)::int AS n FROM session_files WHERE session_id = $1 AND state IN ('secured', 'duplicate') AND item_id IS NOT NULL AND protected_at IS NULL`,
      [sessionId],
    );
    return rows[0].n;
  }

  async recentSessions(recentMs: number, now: Date): Promise<SessionProgress[]> {
    const { rows } = await this.pool.query(
      `${SESSION_PROGRESS} WHERE s.ended_at IS NULL OR s.ended_at > $1 GROUP BY s.id ORDER BY s.started_at`,
      [new Date(now.getTime() - recentMs)],
    );
    return rows.map(toProgress);
  }

  async findDeviceFile(serial: string, relPath: string, size: number, mtimeMs: number) {
    const { rows } = await this.pool.query(
      `SELECT d.item_id, i.sha256 FROM device_files d JOIN evidence_items i ON i.id = d.item_id
       WHERE d.device_serial = $1 AND d.rel_path = $2 AND d.size = $3 AND d.mtime_ms = $4`,
      [serial, relPath, size, Math.trunc(mtimeMs)],
    );
    return rows[0] ? { itemId: rows[0].item_id as string, sha256: rows[0].sha256 as string } : null;
  }

  async findItemBySha256(sha256: string): Promise<EvidenceItem | null> {
    const { rows } = await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM evidence_items WHERE sha256 = $1`, [sha256]);
    return rows[0] ? toItem(rows[0]) : null;
  }

  async recordSecured({ item, mtimeMs, events }: SecuredFileRecord): Promise<'inserted' | 'conflict'> {
    return this.transaction(async (db) => {
      const inserted = await db.query(
        `INSERT INTO evidence_items (${ITEM_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (sha256) DO NOTHING`,
        [
          item.id, item.sha256, item.size, item.kind, item.deviceSerial, item.originalPath, item.officerId, item.caseId,
          item.category, item.phase, item.capturedAt, item.capturedAtSource, item.securedAt, item.status, item.sessionId,
          item.objects.original, item.objects.originalVersion, item.objects.manifest,
        ],
      );
      if (inserted.rowCount === 0) return 'conflict';
      await linkDeviceFile(db, item.id, item.sessionId, item.deviceSerial, item.originalPath, item.size, mtimeMs);
      await markFile(db, item.sessionId, item.originalPath, 'secured', null, item.id);
      await insertEvents(db, events);
      return 'inserted';
    });
  }

  async recordDuplicate(r: DuplicateFileRecord): Promise<void> {
    await this.transaction(async (db) => {
      await linkDeviceFile(db, r.itemId, r.sessionId, r.deviceSerial, r.relPath, r.size, r.mtimeMs);
      await markFile(db, r.sessionId, r.relPath, 'duplicate', null, r.itemId);
      await insertEvents(db, r.events);
    });
  }

  async addCustodyEvents(events: CustodyEvent[]): Promise<void> {
    if (events.length > 0) await this.transaction((db) => insertEvents(db, events));
  }

  async custodyEvents(filter: { itemId?: string; sessionId?: string }): Promise<CustodyEvent[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM custody_events WHERE kind = 'custody' AND ($1::text IS NULL OR item_id = $1) AND ($2::text IS NULL OR session_id = $2) ORDER BY seq`,
      [filter.itemId ?? null, filter.sessionId ?? null],
    );
    return rows.map(toEvent);
  }

  async queryItems(q: ItemQuery): Promise<EvidenceItem[]> {
    const { rows } = await this.pool.query(`SELECT ${ITEM_COLUMNS} FROM evidence_items WHERE ${ITEM_FILTERS} ORDER BY captured_at, id LIMIT $8`, [...itemFilterValues(q), q.limit ?? 1000]);
    return rows.map(toItem);
  }

  async countItems(q: ItemQuery): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM evidence_items WHERE ${ITEM_FILTERS}`, itemFilterValues(q));
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function markFile(db: Queryable, sessionId: string, relPath: string, state: SessionFileState, reason: string | null, itemId: string | null) {
  // A file's protection is its item's: another item (or none) is not known protected.
  await db.query(
    `UPDATE session_files SET state = $3, reason = $4, item_id = $5, protected_at = CASE WHEN item_id IS NOT DISTINCT FROM $5 THEN protected_at END
      WHERE session_id = $1 AND rel_path = $2`, [
    sessionId,
    relPath,
    state,
    reason,
    itemId,
  ]);
}

async function linkDeviceFile(db: Queryable, itemId: string, sessionId: string, serial: string, relPath: string, size: number, mtimeMs: number) {
  await db.query(
    `INSERT INTO device_files (device_serial, rel_path, size, mtime_ms, item_id, first_session) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING`,
    [serial, relPath, size, Math.trunc(mtimeMs), itemId, sessionId],
  );
}
