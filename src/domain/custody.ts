/** Custody event types: each is one row with time, actor and details. */
export const custodyEventTypes = [
  'device-detected',
  'device-undocked',
  'session-interrupted',
  'file-found',
  'file-refused',
  'hashed',
  'stored',
  'verified',
  'manifest-written',
  'duplicate-content',
  'redocked',
  'secure-failed',
  // Tagging (issue 5): register changes, activity imports, and every change of an item's tags.
  'person-recorded',
  'device-registered',
  'device-assigned',
  'activities-imported',
  'tagged',
  'tag-changed',
  // Integrity (issue 8): object-lock retention and legal holds on an item's objects, catalog rebuilt from manifests.
  'retention-set',
  'legal-hold-placed',
  'legal-hold-lifted',
  'reindexed',
] as const;
export type CustodyEventType = (typeof custodyEventTypes)[number];

export interface CustodyEvent {
  type: CustodyEventType;
  at: Date;
  /** The dock host, or a person's id for manual acts. */
  actor: string;
  itemId: string | null;
  sessionId: string | null;
  deviceSerial: string | null;
  /** Path on the device, when the event is about a file. */
  filePath: string | null;
  details: Record<string, unknown>;
}
