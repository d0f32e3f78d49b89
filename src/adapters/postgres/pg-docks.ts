import type pg from 'pg';
import type { CustodyEvent } from '../../domain/custody.ts';
import { activeStates, isEnded, type OpeningState, type SessionChange, sessionTransition } from '../../domain/dock-session.ts';
import type { SerialSource } from '../../domain/identity.ts';
import type { DeviceStatus } from '../../domain/recorders.ts';
import type { AdmittedSession, BayInfo, DockDetails, Docks, WipeCandidate, WipeState } from '../../ports/docks.ts';
import { appendChained } from './pg-audit-log.ts';
import { inTransaction } from './transaction.ts';

const ACTIVE_STATES = `(${activeStates.map((s) => `'${s}'`).join(', ')})`;

function toDetails(r: Record<string, any>): DockDetails {
  return {
    via: r.via,
    bay: r.bay ?? r.mount_path,
    model: r.model,
    deviceType: r.device_type,
    usb: r.usb,
    fsType: r.fs_type,
    readOnly: r.read_only,
    deviceDev: r.device_dev === null ? null : Number(r.device_dev),
    wipePolicy: r.wipe_policy,
  };
}

/** Devices and dock sessions in PostgreSQL (their one writer), on the catalog's pool. */
/**
 * The register's fields of a device (model, type, custodian), in the caller's transaction. This file is the one
 * writer of the `devices` table: the register's adapter calls this rather than writing the table itself.
 */
export async function writeRegisteredDevice(
  db: Pick<pg.PoolClient, 'query'>,
  d: { serial: string; model: string | null; deviceType: string | null; custodianId: string | null },
): Promise<'added' | 'updated'> {
  const { rows } = await db.query(
    `INSERT INTO devices (serial, serial_source, model, device_type, custodian_id) VALUES ($1, 'registered', $2, $3, $4)
     ON CONFLICT (serial) DO UPDATE SET model = coalesce(excluded.model, devices.model),
       device_type = coalesce(excluded.device_type, devices.device_type), custodian_id = coalesce(excluded.custodian_id, devices.custodian_id)
     RETURNING (xmax = 0) AS inserted`,
    [d.serial, d.model, d.deviceType, d.custodianId],
  );
  return rows[0].inserted ? 'added' : 'updated';
}

export class PgDocks implements Docks {
  constructor(private readonly pool: pg.Pool) {}

  async upsertDevice(d: { serial: string; serialSource: string; label: string | null; seenAt: Date }): Promise<void> {
    await this.pool.query(
      `INSERT INTO devices (serial, serial_source, label, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (serial) DO UPDATE SET last_seen_at = excluded.last_seen_at, label = coalesce(excluded.label, devices.label),
         -- a device registered before its first dock gets its first-seen time and serial source now
         first_seen_at = coalesce(devices.first_seen_at, excluded.first_seen_at),
         serial_source = CASE WHEN devices.first_seen_at IS NULL THEN excluded.serial_source ELSE devices.serial_source END`,
      [d.serial, d.serialSource, d.label, d.seenAt],
    );
  }

  async openSession(s: { id: string; deviceSerial: string; dockHost: string; mountPath: string; startedAt: Date; state?: OpeningState; reason?: string | null }): Promise<void> {
    const state = s.state ?? 'scanning';
    await this.pool.query(
      `INSERT INTO dock_sessions (id, device_serial, dock_host, mount_path, state, started_at, reason, ended_at) VALUES ($1, $2, $3, $4, $6, $5, $7, $8)
       ON CONFLICT (id) DO NOTHING`,
      [s.id, s.deviceSerial, s.dockHost, s.mountPath, s.startedAt, state, s.reason ?? null, isEnded(state) ? s.startedAt : null],
    );
  }

  async deviceStatus(serial: string): Promise<DeviceStatus | null> {
    const { rows } = await this.pool.query('SELECT status FROM devices WHERE serial = $1', [serial]);
    return rows[0]?.status ?? null;
  }

  async recordDetected(d: { serial: string; serialSource: SerialSource; label: string | null; seenAt: Date; status: DeviceStatus; model: string | null; deviceType: string | null }): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
        `INSERT INTO devices (serial, serial_source, label, first_seen_at, last_seen_at, status, model, device_type)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)
         ON CONFLICT (serial) DO UPDATE SET
           first_seen_at = coalesce(devices.first_seen_at, excluded.first_seen_at), last_seen_at = excluded.last_seen_at,
           label = coalesce(excluded.label, devices.label),
           model = coalesce(devices.model, excluded.model), device_type = coalesce(devices.device_type, excluded.device_type)
         RETURNING (xmax = 0) AS inserted, status`,
        [d.serial, d.serialSource, d.label, d.seenAt, d.status, d.model, d.deviceType],
      );
      if (rows[0].inserted) {
        await db.query(`INSERT INTO device_status_changes (device_serial, status, at, actor, reason) VALUES ($1, $2, $3, 'dock', $4)`, [
          d.serial, d.status, d.seenAt, d.model ? `detected as a ${d.model}` : 'detected',
        ]);
      }
    });
  }

  async approve(serial: string, act: { actor: string; at: Date; reason: string | null }) {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query('SELECT status FROM devices WHERE serial = $1 FOR UPDATE', [serial]);
      if (!rows[0]) return { outcome: 'unknown' as const, released: 0 };
      const already = rows[0].status === 'approved';
      if (!already) {
        await db.query(`UPDATE devices SET status = 'approved' WHERE serial = $1`, [serial]);
        await db.query(`INSERT INTO device_status_changes (device_serial, status, at, actor, reason) VALUES ($1, 'approved', $2, $3, $4)`, [
          serial, act.at, act.actor, act.reason,
        ]);
      }
      const release = sessionTransition('held', 'waiting', { reason: null, at: act.at });
      const released = await db.query(`UPDATE dock_sessions SET state = $3, reason = NULL WHERE device_serial = $1 AND state = $2`, [serial, release.from, release.to]);
      return { outcome: already ? ('already-approved' as const) : ('approved' as const), released: released.rowCount ?? 0 };
    });
  }

  async moveSession(sessionId: string, change: SessionChange, events: CustodyEvent[]): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const moved = await db.query(`UPDATE dock_sessions SET state = $3, reason = $4, ended_at = $5 WHERE id = $1 AND state = $2`, [
        sessionId, change.from, change.to, change.reason, change.endedAt,
      ]);
      if (moved.rowCount === 0) return false;
      if (events.length > 0) await appendChained(db, events.map((e) => ({ kind: 'custody' as const, ...e })));
      return true;
    });
  }

  /**
   * A failed file goes back to pending, and its session to `securing` when it ended in `attention` (the
   * state machine's one way out of an end state), in one transaction; the retried job then settles it.
   */
  async reopenFailedFile(sessionId: string, relPath: string): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const file = await db.query(
        `UPDATE session_files SET state = 'pending', reason = NULL WHERE session_id = $1 AND rel_path = $2 AND state = 'failed'`,
        [sessionId, relPath],
      );
      if (file.rowCount === 0) return false;
      const reopen = sessionTransition('attention', 'securing', { reason: null, at: new Date() });
      await db.query(`UPDATE dock_sessions SET state = $3, reason = NULL, ended_at = NULL WHERE id = $1 AND state = $2`, [sessionId, reopen.from, reopen.to]);
      return true;
    });
  }

  async describeSession(sessionId: string, d: DockDetails): Promise<void> {
    await this.pool.query(
      `UPDATE dock_sessions SET via = $2, bay = $3, model = $4, device_type = $5, usb = $6, fs_type = $7, read_only = $8, device_dev = $9,
         wipe_policy = $10, wipe_state = CASE WHEN $10 = 'after-verified' THEN 'pending' END
       WHERE id = $1`,
      [sessionId, d.via, d.bay, d.model, d.deviceType, d.usb ? JSON.stringify(d.usb) : null, d.fsType, d.readOnly, d.deviceDev, d.wipePolicy],
    );
  }

  async dockDetails(sessionId: string) {
    const { rows } = await this.pool.query('SELECT * FROM dock_sessions WHERE id = $1', [sessionId]);
    const r = rows[0];
    return r ? { ...toDetails(r), deviceSerial: r.device_serial as string, startedAt: r.started_at as Date, state: r.state } : null;
  }

  async bays(sessionIds: string[]): Promise<Map<string, BayInfo>> {
    const { rows } = await this.pool.query(
      `SELECT s.*, d.status AS device_status,
              (SELECT count(*) FROM session_files f WHERE f.session_id = s.id AND f.wiped_at IS NOT NULL)::int AS files_wiped,
              CASE WHEN s.state = 'waiting' THEN
                (SELECT count(*) FROM dock_sessions w WHERE w.dock_host = s.dock_host AND w.state = 'waiting' AND w.started_at <= s.started_at)::int
              END AS queue_position
         FROM dock_sessions s LEFT JOIN devices d ON d.serial = s.device_serial
        WHERE s.id = ANY($1::text[])`,
      [sessionIds],
    );
    return new Map(rows.map((r) => [r.id, {
      ...toDetails(r),
      sessionId: r.id,
      deviceStatus: r.device_status,
      wipeState: r.wipe_state,
      wipeReason: r.wipe_reason,
      filesWiped: r.files_wiped,
      clock: { driftMs: r.clock_drift_ms, source: r.clock_source, flagged: r.clock_flagged },
      queuePosition: r.queue_position,
    }]));
  }

  async openSessionsOfSerial(serial: string, exceptSessionId: string) {
    const { rows } = await this.pool.query(
      `SELECT id, dock_host, mount_path, bay FROM dock_sessions WHERE device_serial = $1 AND ended_at IS NULL AND id <> $2 ORDER BY id`,
      [serial, exceptSessionId],
    );
    return rows.map((r) => ({ id: r.id as string, dockHost: r.dock_host as string, mountPath: r.mount_path as string, bay: r.bay as string | null }));
  }

  async latestSessionAt(dockHost: string, mountPath: string) {
    const { rows } = await this.pool.query(`SELECT id, state FROM dock_sessions WHERE dock_host = $1 AND mount_path = $2 ORDER BY id DESC LIMIT 1`, [dockHost, mountPath]);
    return rows[0] ? { id: rows[0].id as string, state: rows[0].state } : null;
  }

  async openSessionsOfHost(dockHost: string) {
    const { rows } = await this.pool.query(`SELECT id, mount_path FROM dock_sessions WHERE dock_host = $1 AND ended_at IS NULL ORDER BY id`, [dockHost]);
    return rows.map((r) => ({ id: r.id as string, mountPath: r.mount_path as string }));
  }

  async admitWaiting(dockHost: string, limit: number): Promise<AdmittedSession[]> {
    return inTransaction(this.pool, async (db) => {
      // One admission at a time per host, whichever process asks: the count and the moves must agree.
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`evidock-admit-${dockHost}`]);
      const active = await db.query(`SELECT count(*)::int AS n FROM dock_sessions WHERE dock_host = $1 AND ended_at IS NULL AND state IN ${ACTIVE_STATES}`, [dockHost]);
      const free = limit - active.rows[0].n;
      if (free <= 0) return [];
      const admit = sessionTransition('waiting', 'scanning', { reason: null, at: new Date() });
      const { rows } = await db.query(
        `UPDATE dock_sessions SET state = $4, reason = NULL
          WHERE id IN (SELECT id FROM dock_sessions WHERE dock_host = $1 AND state = $3 ORDER BY started_at, id LIMIT $2)
          RETURNING id, device_serial, mount_path, device_dev, started_at`,
        [dockHost, free, admit.from, admit.to],
      );
      return rows
        .sort((a, b) => a.started_at.getTime() - b.started_at.getTime())
        .map((r) => ({ id: r.id, deviceSerial: r.device_serial, mountPath: r.mount_path, deviceDev: r.device_dev === null ? null : Number(r.device_dev) }));
    });
  }

  async recordClock(sessionId: string, reading: { driftMs: number | null; source: string | null; flagged: boolean }): Promise<void> {
    await this.pool.query(`UPDATE dock_sessions SET clock_drift_ms = $2, clock_source = $3, clock_flagged = $4 WHERE id = $1`, [
      sessionId, reading.driftMs, reading.source, reading.flagged,
    ]);
  }

  async flagClockDrift(sessionId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE evidence_items i SET clock_drift_ms = s.clock_drift_ms FROM dock_sessions s
        WHERE s.id = $1 AND s.clock_flagged AND i.session_id = s.id AND i.clock_drift_ms IS NULL`,
      [sessionId],
    );
    return rowCount ?? 0;
  }

  async clockDriftOf(itemIds: string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query(`SELECT id, clock_drift_ms FROM evidence_items WHERE id = ANY($1::text[]) AND clock_drift_ms IS NOT NULL`, [itemIds]);
    return new Map(rows.map((r) => [r.id as string, Number(r.clock_drift_ms)]));
  }

  async setWipe(sessionId: string, state: WipeState, reason: string | null): Promise<void> {
    await this.pool.query(`UPDATE dock_sessions SET wipe_state = $2, wipe_reason = $3 WHERE id = $1`, [sessionId, state, reason]);
  }

  async wipeCandidates(sessionId: string): Promise<WipeCandidate[]> {
    // Verified: secured in this session, or found identical to an item already stored (re-docked, duplicate).
    const { rows } = await this.pool.query(
      `SELECT rel_path, item_id, size, mtime_ms FROM session_files
        WHERE session_id = $1 AND state IN ('secured', 'duplicate') AND item_id IS NOT NULL AND protected_at IS NOT NULL AND wiped_at IS NULL
        ORDER BY rel_path`,
      [sessionId],
    );
    return rows.map((r) => ({ relPath: r.rel_path, itemId: r.item_id, size: r.size, mtimeMs: r.mtime_ms }));
  }

  async recordWiped(sessionId: string, relPath: string, event: CustodyEvent): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(`UPDATE session_files SET wiped_at = $3 WHERE session_id = $1 AND rel_path = $2`, [sessionId, relPath, event.at]);
      await appendChained(db, [{ kind: 'custody', ...event }]);
    });
  }
}
