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
  // Media (issue 4): what was made from an original, and a capture time the probe corrected.
  'capture-time-corrected',
  'derivative-stored',
  'media-ready',
  'media-unplayable',
  'media-failed',
  // Deadlines (issue 7): an item secured more than 24 h after capture (regulation B7), flagged by the check.
  'compliance-breach',
  // Devices (issue 3): approval and holding, a serial refused because it is docked elsewhere, clock drift,
  // and wiping (one event per file deleted from the device, or why the wipe was refused).
  'device-held',
  'device-approved',
  'device-refused',
  'clock-drift',
  'file-wiped',
  'wipe-refused',
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

/** What a custody event is about; what it does not name is null. */
export interface CustodySubject {
  itemId?: string | null;
  sessionId?: string | null;
  deviceSerial?: string | null;
  filePath?: string | null;
}

/** The one way to make a custody event: every field present, those the subject does not name null. */
export function custodyEvent(type: CustodyEventType, at: Date, actor: string, subject: CustodySubject, details: Record<string, unknown> = {}): CustodyEvent {
  return {
    type, at, actor,
    itemId: subject.itemId ?? null, sessionId: subject.sessionId ?? null, deviceSerial: subject.deviceSerial ?? null, filePath: subject.filePath ?? null,
    details,
  };
}
