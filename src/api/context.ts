import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from '../app/admin/deps.ts';
import type { CaseFileDeps } from '../app/cases/case-files.ts';
import type { Tagging } from '../app/tagging/tagging.ts';
import type { TaggingConfig } from '../config/tagging-schema.ts';
import type { Checklist } from '../domain/checklist.ts';
import type { AuditLog, LogReader } from '../ports/audit-log.ts';
import type { CaseRecords } from '../ports/case-records.ts';
import type { Credentials } from '../ports/credentials.ts';
import type { EvidenceLocks } from '../ports/evidence-locks.ts';
import type { ItemSearch } from '../ports/item-search.ts';
import type { Links, ObjectRanges } from '../ports/links.ts';
import type { MediaCatalog } from '../ports/media-catalog.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { Registry } from '../ports/registry.ts';
import type { TagStore } from '../ports/tag-store.ts';

/** What the HTTP API works with (the composition root gives it; routes construct nothing). */
export interface ApiContext extends AdminDeps, CaseFileDeps {
  store: ObjectStore;
  credentials: Credentials;
  audit: AuditLog & LogReader;
  /** The custody trail a copy package carries. */
  trail: LogReader;
  items: ItemSearch;
  records: CaseRecords;
  links: Links;
  ranges: ObjectRanges;
  /** Issue 5: people and devices, tags and activities, the checklist. */
  registry: Registry;
  tags: TagStore;
  tagging: Tagging;
  checklist: Checklist;
  settings: TaggingConfig;
  /** Issue 8: case files lock their recordings, archiving lifts legal holds. */
  locks: EvidenceLocks;
  /** Issue 4: proxies, posters and thumbnails. */
  media: { catalog: Pick<MediaCatalog, 'mediaOf'> };
  /** Mounts the queue dashboard (bull-board) under `basePath` of an API scope. */
  mountQueueDashboard(app: FastifyInstance, basePath: string): Promise<void>;
}

/** A route module: registers its own routes on the instance (and declares their auth and roles). */
export type RouteModule = (app: FastifyInstance, ctx: ApiContext) => Promise<void> | void;
