import type { RetentionClass } from '../domain/checklist.ts';
import type { StoredObject } from './object-store.ts';

/**
 * What the rest of evidock calls to protect evidence (the secure step, tagging, case files). There is
 * deliberately nothing here that shortens a retention or deletes anything.
 */
export interface EvidenceLocks {
  /**
   * Locks an item's original and manifest for the longest of its classes (the configured default or its
   * checklist row's, plus `classes`), from when it was secured; extends an existing lock, never shortens it.
   * An item tagged with a case whose case file is not archived also gets that case's legal hold. Called
   * when an item is secured and whenever its tags change.
   */
  protectItem(itemId: string, actor: string, classes?: RetentionClass[]): Promise<{ retentionClass: RetentionClass; until: Date }>;
  /**
   * Reads back from the store whether the item's original and manifest (its current version) are both
   * protected now: a retention that has not lapsed, or a legal hold. False when the manifest is missing.
   * What "safe to undock" and every wipe rely on, rather than on a record that the lock was set.
   */
  isProtected(itemId: string): Promise<boolean>;
  /** Items filed in a case file are kept permanently. */
  fileInCaseFile(itemIds: string[], caseFileId: string, actor: string): Promise<void>;
  /** A case-file manifest (or any object evidock writes that must outlive tampering), locked permanently. */
  lockObject(object: StoredObject, actor: string): Promise<void>;
  /** A legal hold on every given item of an open case (original and manifest). */
  placeCaseHold(caseId: string, itemIds: string[], actor: string, reason: string): Promise<void>;
  /**
   * Lifts a case's holds on the given items (those its archived case file froze); an item another open case
   * holds stays held, and so does one tagged into the case after it was filed.
   */
  liftCaseHold(caseId: string, itemIds: string[], actor: string, reason: string): Promise<{ released: string[]; stillHeld: string[] }>;
}
