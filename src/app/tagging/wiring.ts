import type { PgPool } from '../../adapters/postgres/transaction.ts';
import { PgRegistry } from '../../adapters/postgres/pg-registry.ts';
import { PgTagStore } from '../../adapters/postgres/pg-tag-store.ts';
import { loadChecklist } from '../../config/checklist-file.ts';
import type { Config } from '../../config/schema.ts';
import { type RetentionClass, rowById } from '../../domain/checklist.ts';
import type { Catalog } from '../../ports/catalog.ts';
import { systemClock } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { Tagging, type TaggingDeps } from './tagging.ts';

/**
 * The register, the checklist (validated here, so a bad one stops the start) and tagging, over the catalog's
 * pool. `keepLocks` extends an item's object lock to its checklist row's retention class when tags change;
 * `retentionClassOf` gives the lock keeper that class.
 */
export function taggingParts(
  config: Config, pool: PgPool, catalog: Pick<Catalog, 'officerOnDevice'>, store: Pick<ObjectStore, 'setTags'>, keepLocks: TaggingDeps['keepLocks'],
) {
  const checklist = loadChecklist(config.tagging.checklist);
  const registry = new PgRegistry(pool);
  const tags = new PgTagStore(pool);
  const tagging = new Tagging({ tags, registry, catalog, store, checklist, settings: config.tagging, clock: systemClock, keepLocks });
  const retentionClassOf = (rowId: string): RetentionClass | null => rowById(checklist, rowId)?.retentionClass ?? null;
  return { checklist, registry, tags, tagging, retentionClassOf };
}
