import type pg from 'pg';
import { PgRegistry } from '../../adapters/postgres/pg-registry.ts';
import { PgTagStore } from '../../adapters/postgres/pg-tag-store.ts';
import { loadChecklist } from '../../config/checklist-file.ts';
import type { Config } from '../../config/schema.ts';
import type { Catalog } from '../../ports/catalog.ts';
import { systemClock } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { Tagging } from './tagging.ts';

/** The register, the checklist (validated here, so a bad one stops the start) and tagging, over the catalog's pool. */
export function taggingParts(config: Config, pool: pg.Pool, catalog: Pick<Catalog, 'officerOnDevice'>, store: Pick<ObjectStore, 'setTags'>) {
  const checklist = loadChecklist(config.tagging.checklist);
  const registry = new PgRegistry(pool);
  const tags = new PgTagStore(pool);
  const tagging = new Tagging({ tags, registry, catalog, store, checklist, settings: config.tagging, clock: systemClock });
  return { checklist, registry, tags, tagging };
}
