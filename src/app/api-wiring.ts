import type { PgCatalog } from '../adapters/postgres/pg-catalog.ts';
import { PgAuditLog } from '../adapters/postgres/pg-audit-log.ts';
import { PgCredentials } from '../adapters/postgres/pg-credentials.ts';
import type { ApiServices } from '../api/services.ts';
import type { Registry } from '../ports/registry.ts';

/** The API's PostgreSQL adapters, on the catalog's pool (`core` from connectCore). */
export function apiServices(core: { catalog: PgCatalog; registry: Registry }): ApiServices {
  const pool = core.catalog.pool;
  return {
    credentials: new PgCredentials(pool),
    registry: core.registry,
    audit: new PgAuditLog(pool),
  };
}
