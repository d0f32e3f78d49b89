import pg from 'pg';
import { inject } from 'vitest';
import { embeddedPostgresUrl } from '../../src/adapters/embedded/postgres.ts';
import { readSecrets } from '../../src/adapters/embedded/secrets.ts';

/** Whether the test PostgreSQL is the embedded one, whose superuser password is in its secrets file. */
export const embeddedPostgres = !process.env.EVIDOCK_TEST_POSTGRES_URL;

/** Runs `work` as the PostgreSQL superuser in the database of `databaseUrl` (tamper tests, DBA steps). */
export async function asSuperuser<T>(databaseUrl: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const config = inject('servicesConfig');
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: embeddedPostgresUrl(config.postgres.port, readSecrets(config.dataDir).postgresAdminPassword, 'postgres', database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
