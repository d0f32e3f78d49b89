import type { CustodyEvent } from '../../domain/custody.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { Catalog, DuplicateFileRecord, ItemQuery, SecuredFileRecord, SessionFile, SessionFileState, SessionProgress } from '../../ports/catalog.ts';
import { CatalogTables, deviceFileKey } from './catalog-tables.ts';

const copyItem = ({ clockDriftMs: _drift, ...item }: EvidenceItem & { clockDriftMs: number | null }): EvidenceItem => ({ ...item, objects: { ...item.objects } });

/** The catalog in memory (unit tests, the conformance suite); the same rules as PgCatalog. */
export class MemoryCatalog implements Catalog {
  constructor(readonly tables: CatalogTables = new CatalogTables()) {}

  async officerOnDevice(serial: string, at: Date): Promise<string | null> {
    const valid = this.tables.assignments.filter((a) => a.deviceSerial === serial && a.validFrom <= at);
    return valid.sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime()).at(-1)?.officerId ?? null;
  }

  async openSessionsAt(dockHost: string, mountPath: string): Promise<string[]> {
    return [...this.tables.sessions.values()].filter((s) => s.dockHost === dockHost && s.mountPath === mountPath && s.endedAt === null).map((s) => s.id).sort();
  }

  async addSessionFiles(sessionId: string, files: Array<Omit<SessionFile, 'itemId'>>): Promise<void> {
    const rows = this.tables.filesOf(sessionId);
    for (const f of files) if (!rows.has(f.relPath)) rows.set(f.relPath, { ...f, mtimeMs: Math.trunc(f.mtimeMs), itemId: null, protectedAt: null, wipedAt: null });
  }

  async sessionFile(sessionId: string, relPath: string): Promise<SessionFile | null> {
    const f = this.tables.filesOf(sessionId).get(relPath);
    return f ? { relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs, kind: f.kind, state: f.state, itemId: f.itemId, reason: f.reason } : null;
  }

  async markSessionFile(sessionId: string, relPath: string, state: SessionFileState, reason: string | null, itemId: string | null = null): Promise<void> {
    this.markFile(sessionId, relPath, state, reason, itemId);
  }

  private markFile(sessionId: string, relPath: string, state: SessionFileState, reason: string | null, itemId: string | null): void {
    const f = this.tables.filesOf(sessionId).get(relPath);
    if (!f) return;
    // A file's protection is its item's: another item (or none) is not known protected.
    if (f.itemId !== itemId) f.protectedAt = null;
    Object.assign(f, { state, reason, itemId });
  }

  async sessionProgress(sessionId: string): Promise<SessionProgress | null> {
    const s = this.tables.sessions.get(sessionId);
    return s ? this.tables.progress(s) : null;
  }

  async hasPendingFiles(sessionId: string): Promise<boolean> {
    return [...this.tables.filesOf(sessionId).values()].some((f) => f.state === 'pending' && f.kind !== null);
  }

  async markFileProtected(sessionId: string, relPath: string, at: Date): Promise<void> {
    const f = this.tables.filesOf(sessionId).get(relPath);
    if (f) f.protectedAt ??= at;
  }

  async unprotectedFiles(sessionId: string): Promise<number> {
    return [...this.tables.filesOf(sessionId).values()].filter((f) => (f.state === 'secured' || f.state === 'duplicate') && f.itemId !== null && f.protectedAt === null).length;
  }

  async recentSessions(recentMs: number, now: Date): Promise<SessionProgress[]> {
    const since = now.getTime() - recentMs;
    return [...this.tables.sessions.values()]
      .filter((s) => s.endedAt === null || s.endedAt.getTime() > since)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .map((s) => this.tables.progress(s));
  }

  async findDeviceFile(serial: string, relPath: string, size: number, mtimeMs: number) {
    const link = this.tables.deviceFiles.get(deviceFileKey(serial, relPath, size, mtimeMs));
    const item = link && this.tables.items.get(link.itemId);
    return item ? { itemId: item.id, sha256: item.sha256 } : null;
  }

  async findItemBySha256(sha256: string): Promise<EvidenceItem | null> {
    const item = [...this.tables.items.values()].find((i) => i.sha256 === sha256);
    return item ? copyItem(item) : null;
  }

  async recordSecured({ item, mtimeMs, events }: SecuredFileRecord): Promise<'inserted' | 'conflict'> {
    if (await this.findItemBySha256(item.sha256)) return 'conflict';
    this.tables.items.set(item.id, { ...item, objects: { ...item.objects }, clockDriftMs: null });
    this.linkDeviceFile(item.id, item.sessionId, item.deviceSerial, item.originalPath, item.size, mtimeMs);
    this.markFile(item.sessionId, item.originalPath, 'secured', null, item.id);
    this.tables.events.push(...events);
    return 'inserted';
  }

  async recordDuplicate(r: DuplicateFileRecord): Promise<void> {
    this.linkDeviceFile(r.itemId, r.sessionId, r.deviceSerial, r.relPath, r.size, r.mtimeMs);
    this.markFile(r.sessionId, r.relPath, 'duplicate', null, r.itemId);
    this.tables.events.push(...r.events);
  }

  private linkDeviceFile(itemId: string, sessionId: string, serial: string, relPath: string, size: number, mtimeMs: number): void {
    const key = deviceFileKey(serial, relPath, size, mtimeMs);
    if (!this.tables.deviceFiles.has(key)) this.tables.deviceFiles.set(key, { itemId, firstSession: sessionId });
  }

  async addCustodyEvents(events: CustodyEvent[]): Promise<void> {
    this.tables.events.push(...events);
  }

  async custodyEvents(filter: { itemId?: string; sessionId?: string }): Promise<CustodyEvent[]> {
    return this.tables.events
      .filter((e) => (filter.itemId === undefined || e.itemId === filter.itemId) && (filter.sessionId === undefined || e.sessionId === filter.sessionId))
      .map((e) => ({ ...e, details: { ...e.details } }));
  }

  async queryItems(q: ItemQuery): Promise<EvidenceItem[]> {
    return this.matching(q)
      .sort((a, b) => a.capturedAt.getTime() - b.capturedAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, q.limit ?? 1000)
      .map(copyItem);
  }

  async countItems(q: ItemQuery): Promise<number> {
    return this.matching(q).length;
  }

  /** The filters of an item query; `sha256` matches as a prefix, as in PostgreSQL. */
  private matching(q: ItemQuery) {
    return [...this.tables.items.values()]
      .filter((i) => (q.device === undefined || i.deviceSerial === q.device) && (q.officer === undefined || i.officerId === q.officer)
        && (q.caseId === undefined || i.caseId === q.caseId) && (q.sha256 === undefined || i.sha256.startsWith(q.sha256.toLowerCase()))
        && (q.since === undefined || i.capturedAt >= q.since) && (q.until === undefined || i.capturedAt < q.until)
        && (!q.untagged || i.caseId === null));
  }

  async close(): Promise<void> {}
}
