import { MinioObjectRanges } from '../adapters/minio-object-ranges.ts';
import { PgCaseRecords } from '../adapters/postgres/pg-case-records.ts';
import { PgCredentials } from '../adapters/postgres/pg-credentials.ts';
import { PgItemSearch } from '../adapters/postgres/pg-item-search.ts';
import { PgLinks } from '../adapters/postgres/pg-links.ts';
import type { ApiServices } from '../api/services.ts';
import type { Config } from '../config/schema.ts';
import type { Core } from './wiring.ts';

/** What connectCore gives that the API uses. */
export type ApiCore = Pick<Core, 'catalog' | 'store' | 'registry' | 'tags' | 'tagging' | 'checklist' | 'audit' | 'locks' | 'media'>;

/** The API's own adapters (on the catalog's pool and the evidence bucket) beside the core's. */
export function apiServices(core: ApiCore, config: Config): ApiServices {
  const pool = core.catalog.pool;
  return {
    credentials: new PgCredentials(pool),
    audit: core.audit,
    items: new PgItemSearch(pool),
    records: new PgCaseRecords(pool),
    links: new PgLinks(pool),
    ranges: new MinioObjectRanges(core.store.client, core.store.bucket),
    registry: core.registry,
    catalog: core.catalog,
    tags: core.tags,
    tagging: core.tagging,
    checklist: core.checklist,
    settings: config.tagging,
    locks: core.locks,
    media: core.media.catalog,
  };
}
