import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ServiceEndpoints } from '../../src/adapters/embedded/services.ts';

/**
 * Per-file isolation on the shared test servers: each file gets its own PostgreSQL database and MinIO
 * bucket, so files never see each other's rows or objects and need no cleanup between them.
 */

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (as the evidock role, which has CREATEDB) and returns its URL. */
export async function freshDatabase(endpoints: ServiceEndpoints): Promise<string> {
  const name = `evidock_t_${randomBytes(6).toString('hex')}`;
  await withClient(endpoints.postgresUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(endpoints.postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by freshDatabase (optional: the temp data folder goes away after the run anyway). */
export async function dropDatabase(endpoints: ServiceEndpoints, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^evidock_t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}: not made by freshDatabase`);
  await withClient(endpoints.postgresUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
}

/** A bucket name nobody uses yet (valid for S3: lower case, digits, dashes). The caller creates it. */
export function freshBucketName(): string {
  return `evidock-t-${randomBytes(6).toString('hex')}`;
}
