import type pg from 'pg';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { Person } from '../../domain/people.ts';
import type { Act, Assignment, RegisteredDevice, Registry } from '../../ports/registry.ts';
import { appendChained } from './pg-audit-log.ts';
import { writeRegisteredDevice } from './pg-docks.ts';
import { inTransaction } from './transaction.ts';

const toPerson = (r: Record<string, any>): Person => ({ id: r.id, name: r.name, unit: r.unit, role: r.role });

const DEVICE_SELECT = `
  SELECT d.serial, d.model, d.device_type, d.custodian_id, d.label, d.first_seen_at, d.last_seen_at,
         a.officer_id, a.valid_from AS assigned_since
    FROM devices d
    LEFT JOIN LATERAL (
      SELECT officer_id, valid_from FROM device_assignments
       WHERE device_serial = d.serial AND valid_from <= now() ORDER BY valid_from DESC, id DESC LIMIT 1
    ) a ON true`;

function toDevice(r: Record<string, any>): RegisteredDevice {
  return {
    serial: r.serial,
    model: r.model,
    deviceType: r.device_type,
    custodianId: r.custodian_id,
    label: r.label,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    officerId: r.officer_id ?? null,
    assignedSince: r.assigned_since ?? null,
  };
}

/** People and the device register in PostgreSQL, sharing the catalog's pool. */
export class PgRegistry implements Registry {
  constructor(private readonly pool: pg.Pool) {}

  async savePerson(p: Person, custody: CustodyEvent): Promise<'added' | 'updated' | 'unchanged'> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
      `WITH before AS (SELECT name, unit, role FROM people WHERE id = $1)
       INSERT INTO people (id, name, unit, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit, role = excluded.role
         WHERE (people.name, people.unit, people.role) IS DISTINCT FROM (excluded.name, excluded.unit, excluded.role)
       RETURNING (SELECT count(*) FROM before) AS existed`,
        [p.id, p.name, p.unit, p.role],
      );
      if (rows.length === 0) return 'unchanged';
      await appendChained(db, [{ kind: 'custody', ...custody }]);
      return Number(rows[0].existed) > 0 ? 'updated' : 'added';
    });
  }

  async people(): Promise<Person[]> {
    const { rows } = await this.pool.query(`SELECT * FROM people ORDER BY id`);
    return rows.map(toPerson);
  }

  async person(id: string): Promise<Person | null> {
    const { rows } = await this.pool.query(`SELECT * FROM people WHERE id = $1`, [id]);
    return rows[0] ? toPerson(rows[0]) : null;
  }

  async registerDevice(d: { serial: string; model: string | null; deviceType: string | null; custodianId: string | null }, custody: CustodyEvent): Promise<'added' | 'updated'> {
    return inTransaction(this.pool, async (db) => {
      const outcome = await writeRegisteredDevice(db, d);
      await appendChained(db, [{ kind: 'custody', ...custody }]);
      return outcome;
    });
  }

  async devices(): Promise<RegisteredDevice[]> {
    const { rows } = await this.pool.query(`${DEVICE_SELECT} ORDER BY d.serial`);
    return rows.map(toDevice);
  }

  async device(serial: string): Promise<RegisteredDevice | null> {
    const { rows } = await this.pool.query(`${DEVICE_SELECT} WHERE d.serial = $1`, [serial]);
    return rows[0] ? toDevice(rows[0]) : null;
  }

  async assign(serial: string, officerId: string | null, from: Date, act: Act, custody: CustodyEvent): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO device_assignments (device_serial, officer_id, valid_from, assigned_by, recorded_at, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
        [serial, officerId, from, act.actor, act.at, act.reason],
      );
      await appendChained(db, [{ kind: 'custody', ...custody }]);
    });
  }

  async assignments(serial: string): Promise<Assignment[]> {
    const { rows } = await this.pool.query(
      `SELECT *, lead(valid_from) OVER (ORDER BY valid_from, id) AS valid_to FROM device_assignments WHERE device_serial = $1 ORDER BY valid_from, id`,
      [serial],
    );
    return rows.map((r) => ({
      deviceSerial: r.device_serial,
      officerId: r.officer_id,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      assignedBy: r.assigned_by,
      recordedAt: r.recorded_at,
      reason: r.reason,
    }));
  }
}
