import type { Tagging } from '../app/tagging/tagging.ts';
import type { TaggingConfig } from '../config/tagging-schema.ts';
import type { Checklist } from '../domain/checklist.ts';
import type { AuditLog, LogReader } from '../ports/audit-log.ts';
import type { CaseRecords } from '../ports/case-records.ts';
import type { Catalog } from '../ports/catalog.ts';
import type { Credentials } from '../ports/credentials.ts';
import type { EvidenceLocks } from '../ports/evidence-locks.ts';
import type { ItemSearch } from '../ports/item-search.ts';
import type { Links, ObjectRanges } from '../ports/links.ts';
import type { MediaCatalog } from '../ports/media-catalog.ts';
import type { Registry } from '../ports/registry.ts';
import type { TagStore } from '../ports/tag-store.ts';

/** The ports the HTTP API works with besides AppDeps (built by src/app/api-wiring.ts from the core). */
export interface ApiServices {
  credentials: Credentials;
  audit: AuditLog & LogReader;
  items: ItemSearch;
  records: CaseRecords;
  links: Links;
  ranges: ObjectRanges;
  /** Issue 5: people and devices, tags and activities, the checklist. */
  registry: Registry;
  catalog: Pick<Catalog, 'addCustodyEvents' | 'officerOnDevice'>;
  tags: TagStore;
  tagging: Tagging;
  checklist: Checklist;
  settings: TaggingConfig;
  /** Issue 8: case files lock their recordings, archiving lifts legal holds. */
  locks: EvidenceLocks;
  /** Issue 4: proxies, posters and thumbnails. */
  media: Pick<MediaCatalog, 'mediaOf'>;
}
