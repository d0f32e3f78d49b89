import type pg from 'pg';
import { type ChainedEntry, type ChainHead, chainEntries, EMPTY_HEAD, type LogEntry } from '../../domain/audit-chain.ts';
import type { AuditEvent, AuditLog, LogReader } from '../../ports/audit-log.ts';
import { inTransaction } from './transaction.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Appends to the chain are serialized by this transaction-scoped advisory lock. */
const CHAIN_LOCK = 'evidock-audit-chain';

const ENTRY_COLUMNS = 'seq, prev_hash, hash, kind, type, at, actor, item_id, session_id, device_serial, file_path, details';

function toEntry(r: Record<string, any>): ChainedEntry {
  return {
    seq: r.seq, prevHash: r.prev_hash, hash: r.hash, kind: r.kind, type: r.type, at: r.at, actor: r.actor,
    itemId: r.item_id, sessionId: r.session_id, deviceSerial: r.device_serial, filePath: r.file_path, details: r.details,
  };
}

async function headOf(db: Queryable): Promise<ChainHead> {
  const { rows } = await db.query('SELECT seq, hash FROM custody_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
  return rows[0] ? { seq: rows[0].seq, hash: rows[0].hash } : EMPTY_HEAD;
}

/**
 * Appends entries to the chain. Must run inside a transaction: the lock is held until it commits, so the
 * head read here is still the head when the rows become visible, whichever process appends next.
 */
export async function appendChained(db: Queryable, entries: LogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
  const chained = chainEntries(await headOf(db), entries);
  await db.query(
    `INSERT INTO custody_events (seq, prev_hash, hash, kind, type, at, actor, item_id, session_id, device_serial, file_path, details)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::jsonb[])`,
    [
      chained.map((e) => e.seq), chained.map((e) => e.prevHash), chained.map((e) => e.hash), chained.map((e) => e.kind),
      chained.map((e) => e.type), chained.map((e) => e.at), chained.map((e) => e.actor), chained.map((e) => e.itemId),
      chained.map((e) => e.sessionId), chained.map((e) => e.deviceSerial), chained.map((e) => e.filePath),
      chained.map((e) => JSON.stringify(e.details)),
    ],
  );
}

/**
 * Gives rows written before the log was chained (migration 003) their place in the chain, in the order
 * they were written. The only UPDATE the log's trigger and grants allow. Run once at connect.
 */
export async function chainEarlierRows(pool: pg.Pool): Promise<number> {
  return inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
    const { rows } = await db.query(`SELECT id, ${ENTRY_COLUMNS} FROM custody_events WHERE seq IS NULL ORDER BY id`);
    if (rows.length === 0) return 0;
    const chained = chainEntries(await headOf(db), rows.map(toEntry));
    for (const [i, e] of chained.entries()) {
      await db.query('UPDATE custody_events SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1', [rows[i]!.id, e.seq, e.prevHash, e.hash]);
    }
    return chained.length;
  });
}

function auditEntry(event: AuditEvent, at: Date): LogEntry {
  return {
    kind: 'audit', type: event.action, at, actor: event.actor, itemId: null, sessionId: null, deviceSerial: null, filePath: null,
    details: {
      target: event.target, reason: event.reason, result: event.result, from: event.from,
      ...(event.itemIds ? { itemIds: event.itemIds } : {}),
      ...(event.details ?? {}),
    },
  };
}

/** The chained log in PostgreSQL (table custody_events), sharing the catalog's pool. */
export class PgAuditLog implements AuditLog, LogReader {
  constructor(private readonly pool: pg.Pool) {}

  async append(event: AuditEvent, at: Date = new Date()): Promise<void> {
    await inTransaction(this.pool, (db) => appendChained(db, [auditEntry(event, at)]));
  }

  async chainId(): Promise<string> {
    const { rows } = await this.pool.query('SELECT chain_id FROM audit_chain');
    if (!rows[0]) throw new Error('the audit_chain table is empty: the database was not migrated by evidock (migration 003)');
    return rows[0].chain_id;
  }

  async head(): Promise<ChainHead> {
    return headOf(this.pool);
  }

  async entries(afterSeq: number, limit: number): Promise<ChainedEntry[]> {
    const { rows } = await this.pool.query(`SELECT ${ENTRY_COLUMNS} FROM custody_events WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
    return rows.map(toEntry);
  }

  async entriesBetween(since: Date, until: Date, limit: number): Promise<ChainedEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT ${ENTRY_COLUMNS} FROM custody_events WHERE seq IS NOT NULL AND at >= $1 AND at < $2 ORDER BY seq LIMIT $3`,
      [since, until, limit],
    );
    return rows.map(toEntry);
  }

  async unchainedCount(): Promise<number> {
    const { rows } = await this.pool.query('SELECT count(*)::int AS n FROM custody_events WHERE seq IS NULL');
    return rows[0].n;
  }

  async trail(subject: { itemId: string } | { person: string }): Promise<ChainedEntry[]> {
    const { rows } =
      'itemId' in subject
        ? await this.pool.query(
            `SELECT ${ENTRY_COLUMNS} FROM custody_events
              WHERE item_id = $1 OR (kind = 'audit' AND (details -> 'itemIds' ? $1 OR details ->> 'target' = 'item:' || $1))
              ORDER BY seq`,
            [subject.itemId],
          )
        : await this.pool.query(
            `SELECT ${ENTRY_COLUMNS} FROM custody_events
              WHERE actor = $1 OR (kind = 'audit' AND details ->> 'target' = 'person:' || $1)
                 OR item_id IN (SELECT id FROM evidence_items WHERE officer_id = $1)
              ORDER BY seq`,
            [subject.person],
          );
    return rows.map(toEntry);
  }
}
