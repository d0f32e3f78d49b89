import type pg from 'pg';
import { ulid } from 'ulid';
import type { Alert, AlertStatus, Condition } from '../../domain/alerts.ts';
import type { AlertStore } from '../../ports/alerts.ts';

const COLUMNS = 'id, key, kind, severity, subject, message, details, once, raised_at, seen_at, cleared_at';

function toAlert(r: Record<string, any>): Alert {
  return {
    id: r.id, key: r.key, kind: r.kind, severity: r.severity, subject: r.subject, message: r.message, details: r.details,
    once: r.once, raisedAt: r.raised_at, seenAt: r.seen_at, clearedAt: r.cleared_at,
  };
}

/** Alerts in PostgreSQL (migration 007), sharing the catalog's pool. */
export class PgAlertStore implements AlertStore {
  constructor(private readonly pool: pg.Pool) {}

  async active(): Promise<Alert[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM alerts WHERE cleared_at IS NULL ORDER BY raised_at, id`);
    return rows.map(toAlert);
  }

  async get(id: string): Promise<Alert | null> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM alerts WHERE id = $1`, [id]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async raise(c: Condition, at: Date): Promise<Alert | null> {
    // The partial unique index on active keys decides between concurrent checks: the loser inserts nothing.
    const { rows } = await this.pool.query(
      `INSERT INTO alerts (id, key, kind, severity, subject, message, details, once, raised_at, seen_at)
       VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (key) WHERE cleared_at IS NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [c.key, c.kind, c.severity, c.subject, c.message, JSON.stringify(c.details), c.once, at, ulid(at.getTime())],
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async refresh(id: string, c: Condition, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE alerts SET message = $2, details = $3, severity = $4, seen_at = greatest(seen_at, $5) WHERE id = $1 AND cleared_at IS NULL`,
      [id, c.message, JSON.stringify(c.details), c.severity, at],
    );
  }

  async clear(id: string, at: Date): Promise<Alert | null> {
    const { rows } = await this.pool.query(
      `UPDATE alerts SET cleared_at = $2 WHERE id = $1 AND cleared_at IS NULL RETURNING ${COLUMNS}`,
      [id, at],
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async recent(since: Date, limit: number): Promise<Alert[]> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM alerts WHERE raised_at >= $1 OR cleared_at >= $1 ORDER BY greatest(raised_at, cleared_at) DESC, id DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map(toAlert);
  }

  async recordDelivery(id: string, status: AlertStatus, outcome: { at: Date; error: string | null }): Promise<void> {
    const column = status === 'firing' ? 'firing_delivered_at' : 'resolved_delivered_at';
    if (outcome.error === null) await this.pool.query(`UPDATE alerts SET ${column} = $2, delivery_error = NULL WHERE id = $1`, [id, outcome.at]);
    else await this.pool.query('UPDATE alerts SET delivery_error = $2 WHERE id = $1', [id, `${outcome.at.toISOString()} ${status}: ${outcome.error}`]);
  }
}
