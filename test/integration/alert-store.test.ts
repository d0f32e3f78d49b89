import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { migrate } from '../../src/adapters/postgres/migrate.ts';
import { PgAlertStore } from '../../src/adapters/postgres/pg-alerts.ts';
import { describeAlertStoreConformance } from '../support/conformance/alert-store.ts';
import { freshDatabase } from '../support/isolation.ts';

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describeAlertStoreConformance('PostgreSQL', async () => {
  const pool = new pg.Pool({ connectionString: await freshDatabase(inject('endpoints')), max: 2 });
  pools.push(pool);
  await migrate(pool);
  return new PgAlertStore(pool);
});
