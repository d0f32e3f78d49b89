import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PgAuditLog } from '../../src/adapters/postgres/pg-audit-log.ts';
import { PgCatalog } from '../../src/adapters/postgres/pg-catalog.ts';
import { createLogger } from '../../src/log.ts';
import { checkChain, EMPTY_HEAD } from '../../src/domain/audit-chain.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';
import { freshDatabase } from '../support/isolation.ts';
import { asSuperuser, embeddedPostgres } from '../support/superuser.ts';

const silent = createLogger('silent');

async function wholeChain(log: PgAuditLog) {
  return checkChain(EMPTY_HEAD, await log.entries(0, 1_000_000));
}

describe('the custody and audit log (real PostgreSQL, as the daemon role)', () => {
  let h: Harness;
  let log: PgAuditLog;
  let pool: pg.Pool;

  beforeAll(async () => {
    h = await createHarness();
    pool = h.deps.catalog.pool;
    log = new PgAuditLog(pool);
    h.startWorkers();
    const device = makeDevice(join(h.dockDir, 'BWC-0100'), { 'a.mp4': 10_000, 'b.jpg': 2_000, 'notes.txt': 'x' });
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    await h.waitForSession('BWC-0100');
  });

  afterAll(async () => h?.close());

  it('chains every custody event and audit event of a secured device, from the genesis hash', async () => {
    await log.append({ actor: 'auditor-1', action: 'query', target: 'device:BWC-0100', reason: null, result: 'ok', from: 'cli@test', itemIds: ['x'] });
    const { head, breaks } = await wholeChain(log);
    expect(breaks).toEqual([]);
    expect(head).toEqual(await log.head());
    expect(head.seq).toBeGreaterThan(8);
    expect(await log.unchainedCount()).toBe(0);
    const [last] = await log.entries(head.seq - 1, 1);
    expect(last).toMatchObject({ kind: 'audit', type: 'query', actor: 'auditor-1', details: { target: 'device:BWC-0100', result: 'ok', from: 'cli@test' } });
    // Audit entries stay out of the custody view the pipeline reads.
    expect((await h.deps.catalog.custodyEvents({})).every((e) => e.type !== ('query' as string))).toBe(true);
  });

  it('keeps the chain whole when many writers append at once', async () => {
    const other = await PgCatalog.connect((pool.options as { connectionString: string }).connectionString, silent);
    try {
      const event = (i: number) => ({ type: 'device-undocked' as const, at: new Date(), actor: `w${i}`, itemId: null, sessionId: null, deviceSerial: 'BWC-0100', filePath: null, details: { i } });
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 3 === 0 ? log.append({ actor: `a${i}`, action: 'query', target: 'catalog', reason: null, result: 'ok', from: 'cli@test' })
          : (i % 2 ? other : h.deps.catalog).addCustodyEvents([event(i), event(i + 100)]),
        ),
      );
    } finally {
      await other.close();
    }
    const entries = await log.entries(0, 1_000_000);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(checkChain(EMPTY_HEAD, entries).breaks).toEqual([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of log rows to the role the daemon uses', async () => {
    const { rows } = await pool.query('SELECT current_user AS me');
    expect(rows[0].me).toBe(new URL(inject('endpoints').postgresUrl).username);
    const attempts = [
      `UPDATE custody_events SET details = '{"forged":true}' WHERE seq = 1`,
      `UPDATE custody_events SET hash = repeat('0', 64) WHERE seq = 1`,
      `DELETE FROM custody_events WHERE seq = 1`,
      `TRUNCATE custody_events CASCADE`,
      `UPDATE audit_chain SET chain_id = 'other'`,
    ];
    for (const sql of attempts) await expect(pool.query(sql), sql).rejects.toThrow(/permission denied|append-only/);
    expect((await wholeChain(log)).breaks).toEqual([]);
  });

  it.skipIf(!embeddedPostgres)('with docs/sql/log-owner.sql applied by the DBA, the daemon role appends but cannot re-grant, disable the trigger or drop the log', async () => {
    const url = await freshDatabase(inject('endpoints'));
    (await PgCatalog.connect(url, silent)).close();
    await asSuperuser(url, (db) => db.query(readFileSync(join(import.meta.dirname, '../../docs/sql/log-owner.sql'), 'utf8')));
    const catalog = await PgCatalog.connect(url, silent);
    try {
      await catalog.addCustodyEvents([{ type: 'device-detected', at: new Date(), actor: 'dock-1', itemId: null, sessionId: null, deviceSerial: null, filePath: null, details: {} }]);
      await new PgAuditLog(catalog.pool).append({ actor: 'A-1', action: 'query', target: 'catalog', reason: null, result: 'ok', from: 'cli@test' });
      // Not the owner: PostgreSQL answers the GRANT with a warning and grants nothing, as the DELETE below shows.
      await catalog.pool.query('GRANT UPDATE, DELETE ON custody_events TO CURRENT_USER');
      for (const sql of [
        'ALTER TABLE custody_events DISABLE TRIGGER custody_events_append_only',
        'CREATE OR REPLACE FUNCTION evidock_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
        'DROP TABLE custody_events CASCADE',
        'DELETE FROM custody_events',
        `UPDATE custody_events SET actor = 'forger'`,
      ]) {
        await expect(catalog.pool.query(sql), sql).rejects.toThrow(/must be owner|permission denied|append-only/);
      }
      expect(checkChain(EMPTY_HEAD, await new PgAuditLog(catalog.pool).entries(0, 100)).breaks).toEqual([]);
    } finally {
      await catalog.close();
    }
  });

  it('gives events written before the chain existed their place in it, once', async () => {
    const url = await freshDatabase(inject('endpoints'));
    const early = new pg.Client({ connectionString: url });
    await early.connect();
    try {
      await early.query(readFileSync(join(import.meta.dirname, '../../src/adapters/postgres/migrations/001_ingest_core.sql'), 'utf8'));
      await early.query(`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                         INSERT INTO schema_migrations (name) VALUES ('001_ingest_core.sql')`);
      await early.query(`INSERT INTO custody_events (type, at, actor, details) VALUES ('device-detected', now(), 'old-host', '{"n": 1}'), ('device-undocked', now(), 'old-host', '{}')`);
    } finally {
      await early.end();
    }
    const catalog = await PgCatalog.connect(url, silent);
    try {
      const adopted = new PgAuditLog(catalog.pool);
      await catalog.addCustodyEvents([{ type: 'device-detected', at: new Date(), actor: 'new-host', itemId: null, sessionId: null, deviceSerial: null, filePath: null, details: {} }]);
      const entries = await adopted.entries(0, 100);
      expect(entries.map((e) => [e.seq, e.actor])).toEqual([[1, 'old-host'], [2, 'old-host'], [3, 'new-host']]);
      expect(checkChain(EMPTY_HEAD, entries).breaks).toEqual([]);
      await expect(catalog.pool.query(`UPDATE custody_events SET seq = 9 WHERE seq = 1`)).rejects.toThrow(/append-only/);
    } finally {
      await catalog.close();
    }
  });
});
