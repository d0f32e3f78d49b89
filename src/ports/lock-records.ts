import type { RetentionClass } from '../domain/checklist.ts';
import type { CustodyEvent } from '../domain/custody.ts';
import type { StoredObject } from './object-store.ts';
import type { LockMode } from './object-lock.ts';

/** A retention set on one object version, as recorded when it was set. */
export interface RetentionRecord {
  itemId: string | null;
  object: StoredObject;
  retentionClass: RetentionClass;
  mode: LockMode;
  retainUntil: Date;
  setAt: Date;
}

/** What locking an item needs to know about it. */
export interface ItemLockSubject {
  itemId: string;
  securedAt: Date;
  original: StoredObject;
  manifestKey: string;
  checklistRow: string | null;
  /** The item's current case, and whether that case's case file was archived (no hold is placed then). */
  caseId: string | null;
  caseArchived: boolean;
}

export interface HoldRecord {
  itemId: string;
  caseId: string;
  action: 'placed' | 'lifted';
  at: Date;
  actor: string;
  reason: string | null;
}

/** The catalog's record of retention and legal holds (appended facts; current state derived). */
export interface LockRecords {
  lockSubject(itemId: string): Promise<ItemLockSubject | null>;
  /** The latest retention recorded for this object version. */
  currentRetention(object: StoredObject): Promise<RetentionRecord | null>;
  /** Records retentions and their custody events in one transaction. */
  recordRetention(records: RetentionRecord[], events: CustodyEvent[]): Promise<void>;
  /** Current retentions that end before `before`, soonest first. */
  expiring(before: Date, limit: number): Promise<RetentionRecord[]>;
  recordHolds(records: HoldRecord[], events: CustodyEvent[]): Promise<void>;
  /** Items a case holds now. */
  heldBy(caseId: string): Promise<string[]>;
  /** Cases that hold an item now. */
  holding(itemId: string): Promise<string[]>;
}
