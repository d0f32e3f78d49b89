import type { CopyEvent } from '../domain/copy-requests.ts';
import type { StoredObject } from './object-store.ts';

/** A case closed with the end of its enforcement act; the latest closure of a case is in force. */
export interface CaseClosure {
  caseId: string;
  endedAt: Date;
  closedAt: Date;
  closedBy: string;
  reason: string | null;
}

export interface CaseFileRecord {
  id: string;
  caseId: string;
  caseEndedAt: Date;
  dueAt: Date;
  filedAt: Date;
  filedBy: string;
  itemCount: number;
  manifest: StoredObject;
  manifestSha256: string;
  archivedAt: Date | null;
  archivedBy: string | null;
}

export interface CopyRequest {
  id: string;
  party: string;
  reason: string;
  itemIds: string[];
  createdAt: Date;
  createdBy: string;
  events: CopyEvent[];
}

/** Case closures, case files and copy requests (PostgreSQL, migration 006): facts appended, state derived. */
export interface CaseRecords {
  closeCase(closure: CaseClosure): Promise<void>;
  closure(caseId: string): Promise<CaseClosure | null>;
  /** Every closed case (its latest closure) with its case file, if filed; soonest due first. */
  closedCases(): Promise<Array<{ closure: CaseClosure; file: CaseFileRecord | null }>>;
  /** False when the case has a case file already. */
  addCaseFile(file: Omit<CaseFileRecord, 'archivedAt' | 'archivedBy'>): Promise<boolean>;
  caseFile(id: string): Promise<CaseFileRecord | null>;
  caseFileOfCase(caseId: string): Promise<CaseFileRecord | null>;
  archiveCaseFile(id: string, at: Date, actor: string, reason: string | null): Promise<void>;

  addCopyRequest(request: Omit<CopyRequest, 'events'>): Promise<void>;
  copyRequest(id: string): Promise<CopyRequest | null>;
  copyRequests(): Promise<CopyRequest[]>;
  /**
   * Appends an event under a lock on the request: `check` gets the events so far and throws when the new
   * one may not follow them (two heads deciding at once: one wins, the other is told).
   */
  addCopyEvent(requestId: string, event: CopyEvent, check: (events: CopyEvent[]) => void): Promise<void>;
}
