import type { MediaKind } from '../config/schema.ts';
import type { CustodyEvent } from '../domain/custody.ts';
import type { EvidenceItem } from '../domain/evidence.ts';
import type { SessionState } from '../domain/dock-session.ts';

export type SessionFileState = 'pending' | 'secured' | 'duplicate' | 'refused' | 'failed';

export interface SessionFile {
  relPath: string;
  size: number;
  mtimeMs: number;
  kind: MediaKind | null;
  state: SessionFileState;
  itemId: string | null;
  reason: string | null;
}

export interface SessionProgress {
  id: string;
  deviceSerial: string;
  dockHost: string;
  mountPath: string;
  state: SessionState;
  reason: string | null;
  startedAt: Date;
  endedAt: Date | null;
  filesTotal: number;
  filesDone: number;
  filesSecured: number;
  filesFailed: number;
  bytesTotal: number;
  bytesSecured: number;
}

export interface ItemQuery {
  device?: string;
  officer?: string;
  caseId?: string;
  /** A whole SHA-256 or a prefix of one (hex). */
  sha256?: string;
  since?: Date;
  until?: Date;
  /** Only items with no case: what needs an archivist. */
  untagged?: boolean;
  limit?: number;
}

/** What a secured file adds to the catalog, written in one transaction. */
export interface SecuredFileRecord {
  item: EvidenceItem;
  mtimeMs: number;
  events: CustodyEvent[];
}

/** A file whose content is already an item (same device file docked again, or same bytes elsewhere). */
export interface DuplicateFileRecord {
  itemId: string;
  sessionId: string;
  deviceSerial: string;
  relPath: string;
  size: number;
  mtimeMs: number;
  events: CustodyEvent[];
}

/**
 * The catalog: evidence items, device files, the files of dock sessions and custody events. Dock sessions
 * and devices are written by Docks; the catalog reads sessions with their file counts.
 */
export interface Catalog {
  officerOnDevice(serial: string, at: Date): Promise<string | null>;
  /** Sessions of this host on this mount that have not ended. */
  openSessionsAt(dockHost: string, mountPath: string): Promise<string[]>;
  addSessionFiles(sessionId: string, files: Array<Omit<SessionFile, 'itemId'>>): Promise<void>;
  sessionFile(sessionId: string, relPath: string): Promise<SessionFile | null>;
  markSessionFile(sessionId: string, relPath: string, state: SessionFileState, reason: string | null, itemId?: string | null): Promise<void>;
  sessionProgress(sessionId: string): Promise<SessionProgress | null>;
  /** Whether any media file of the session still waits to be secured (cheap, called after every file). */
  hasPendingFiles(sessionId: string): Promise<boolean>;
  /**
   * Records that the file's item was found protected in the store (both objects' locks read back): only
   * such files count towards "safe to undock" and are wiped.
   */
  markFileProtected(sessionId: string, relPath: string, at: Date): Promise<void>;
  /** How many of the session's files have an item but no read-back protection yet. */
  unprotectedFiles(sessionId: string): Promise<number>;
  /** Sessions not ended, and those ended within the last `recentMs`. */
  recentSessions(recentMs: number, now: Date): Promise<SessionProgress[]>;
  /** The item stored from exactly this device file before, if any. */
  findDeviceFile(serial: string, relPath: string, size: number, mtimeMs: number): Promise<{ itemId: string; sha256: string } | null>;
  findItemBySha256(sha256: string): Promise<EvidenceItem | null>;
  /** Returns 'conflict' when another item already holds this SHA-256 (a concurrent secure of the same bytes). */
  recordSecured(record: SecuredFileRecord): Promise<'inserted' | 'conflict'>;
  recordDuplicate(record: DuplicateFileRecord): Promise<void>;
  addCustodyEvents(events: CustodyEvent[]): Promise<void>;
  custodyEvents(filter: { itemId?: string; sessionId?: string }): Promise<CustodyEvent[]>;
  queryItems(query: ItemQuery): Promise<EvidenceItem[]>;
  /** How many items match, whatever the limit. */
  countItems(query: ItemQuery): Promise<number>;
  close(): Promise<void>;
}
