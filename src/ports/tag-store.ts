import type { CustodyEvent } from '../domain/custody.ts';
import type { NewActivity } from '../domain/activities.ts';
import type { ActivityWindow, Candidate, OfficerSource, TagSource, TagState } from '../domain/matching.ts';
import type { DeviceSays, Sidecar } from '../domain/vendor-names.ts';
import type { Act } from './registry.ts';

/** What the device said about one recording, kept from when it was secured. */
export interface DeviceHints {
  rawName: string;
  says: DeviceSays | null;
  /** The sidecar files the parser read, as read (or why not). */
  sidecars: Sidecar[];
}

/** What tagging needs of an item. */
export interface TaggableItem {
  id: string;
  deviceSerial: string;
  capturedAt: Date;
  original: string;
  originalVersion: string | null;
}

/** One appended change of an item's tags. */
export interface TagEvent {
  itemId: string;
  at: Date;
  actor: string;
  reason: string;
  source: TagSource;
  previous: TagState;
  current: TagState;
  candidates: Candidate[];
}

export interface ItemTags {
  checklistRow: string | null;
  unit: string | null;
  tagSource: TagSource;
  officerSource: OfficerSource | null;
  candidates: Candidate[];
}

export interface TagChange {
  event: TagEvent;
  custody: CustodyEvent;
}

/** A recording filed under a case, for the compliance report. */
export interface CaseItem {
  id: string;
  kind: string;
  category: string | null;
  phase: string | null;
  checklistRow: string | null;
  officerId: string | null;
  capturedAt: Date;
  tagSource: TagSource;
}

/** Activities, device hints and tag history (PostgreSQL). Tag changes are appended; current tags are derived. */
export interface TagStore {
  /**
   * Appends the activities not imported before, and the import's custody event (made by `custody` from the
   * import's id and how many were new), in one transaction.
   */
  recordImport(
    file: { name: string; sha256: string; rows: number }, activities: NewActivity[], act: Act, custody: (importId: number, added: number) => CustodyEvent,
  ): Promise<{ importId: number; added: number }>;
  /** Activities of these officers whose window, widened by `marginMs`, holds `at`. */
  activitiesAround(officerIds: string[], at: Date, marginMs: number): Promise<ActivityWindow[]>;
  activitiesOfCase(caseId: string): Promise<ActivityWindow[]>;
  /** Keeps the first hints recorded for an item (a retried job finds them there). */
  saveHints(itemId: string, hints: DeviceHints, at: Date): Promise<void>;
  hints(itemId: string): Promise<DeviceHints | null>;
  item(itemId: string): Promise<TaggableItem | null>;
  /**
   * Changes an item's tags under a lock on the item: `decide` gets the latest state and candidates (null:
   * never tagged) and returns the tag event with its custody event, or null for no change. Both are
   * appended, and the item's tag columns follow, in one transaction.
   */
  changeTags(itemId: string, decide: (latest: { state: TagState; candidates: Candidate[] } | null) => TagChange | null): Promise<TagChange | null>;
  tagHistory(itemId: string): Promise<TagEvent[]>;
  /** The current tags beyond the item's own columns: row, unit, sources, and the latest candidates. */
  currentTags(itemIds: string[]): Promise<Map<string, ItemTags>>;
  /** Items whose current officer is one of these and whose capture time is within [from, to]. */
  itemsOfOfficer(officerId: string, from: Date, to: Date): Promise<string[]>;
  /** Items secured from this device, or whose device hints name it as the camera (from `from` on). */
  itemsOfDevice(serial: string, from: Date): Promise<string[]>;
  /** Items whose device hints name this badge. */
  itemsNamingBadge(badge: string): Promise<string[]>;
  itemsOfCase(caseId: string): Promise<CaseItem[]>;
  /** Untagged items whose latest matching listed this case among its candidates. */
  itemsWithCandidateCase(caseId: string): Promise<string[]>;
}
