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
