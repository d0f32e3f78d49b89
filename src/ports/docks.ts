import type { DeviceType } from '../config/devices-schema.ts';
import type { ClockReading } from '../domain/clock.ts';
import type { CustodyEvent } from '../domain/custody.ts';
import type { OpeningState, SessionChange, SessionState } from '../domain/dock-session.ts';
import type { SerialSource } from '../domain/identity.ts';
import type { DeviceStatus } from '../domain/recorders.ts';
import type { UsbIdentity } from '../domain/usb.ts';

export type WipePolicy = 'never' | 'after-verified';
/** `pending` until the session's files are settled, then `running`, then `done`, `refused` or `failed`. */
export type WipeState = 'pending' | 'running' | 'done' | 'refused' | 'failed';

/** How a session's device was docked: what its bay shows beside the file counts. */
export interface DockDetails {
  via: 'folder' | 'mount';
  bay: string;
  model: string | null;
  deviceType: DeviceType | null;
  usb: UsbIdentity | null;
  fsType: string | null;
  readOnly: boolean;
  /** st_dev of the device's root when docked: the device is still there while its root has this id (null: not known). */
  deviceDev: number | null;
  wipePolicy: WipePolicy;
}

export interface BayInfo extends DockDetails {
  sessionId: string;
  deviceStatus: DeviceStatus | null;
  wipeState: WipeState | null;
  wipeReason: string | null;
  filesWiped: number;
  clock: ClockReading;
  /** 1 for the next session to start, for sessions waiting for a slot. */
  queuePosition: number | null;
}

/** A session that may start scanning now. */
export interface AdmittedSession {
  id: string;
  deviceSerial: string;
  mountPath: string;
  deviceDev: number | null;
}

export interface WipeCandidate {
  relPath: string;
  itemId: string;
  size: number;
  mtimeMs: number;
}

/**
 * Devices and dock sessions (the one writer of both): approval, bays, admission, session states and wiping,
 * kept beside the catalog (same database).
 */
export interface Docks {
  /** A device seen (docked, or rebuilt by reindex): known ones keep their status and gain what they lacked. */
  upsertDevice(device: { serial: string; serialSource: SerialSource; label: string | null; seenAt: Date }): Promise<void>;
  /**
   * Opens a session in `state` (default `scanning`); one opened `secured` (rebuilt by reindex) ends when it
   * starts. Every later change of its state goes through moveSession (the dock-session state machine).
   */
  openSession(session: { id: string; deviceSerial: string; dockHost: string; mountPath: string; startedAt: Date; state?: OpeningState; reason?: string | null }): Promise<void>;
  deviceStatus(serial: string): Promise<DeviceStatus | null>;
  /** Records a detected device: a new serial gets `status`; a known one keeps its status, and gains model and type if it had none. */
  recordDetected(device: { serial: string; serialSource: SerialSource; label: string | null; seenAt: Date; status: DeviceStatus; model: string | null; deviceType: DeviceType | null }): Promise<void>;
  /** Approves a device (appending who, when and why); its held sessions move to `waiting`. */
  approve(serial: string, act: { actor: string; at: Date; reason: string | null }): Promise<{ outcome: 'approved' | 'already-approved' | 'unknown'; released: number }>;

  /**
   * Writes one state change made by the dock-session state machine, with the custody events that record
   * it, in one transaction; only while the session is still in `change.from` (false: it was moved meanwhile).
   */
  moveSession(sessionId: string, change: SessionChange, events: CustodyEvent[]): Promise<boolean>;
  /** A failed file goes back to pending, and its session from `attention` to `securing` (an admin retried it). */
  reopenFailedFile(sessionId: string, relPath: string): Promise<boolean>;
  describeSession(sessionId: string, details: DockDetails): Promise<void>;
  dockDetails(sessionId: string): Promise<(DockDetails & { deviceSerial: string; startedAt: Date; state: SessionState }) | null>;
  bays(sessionIds: string[]): Promise<Map<string, BayInfo>>;
  /** Sessions not ended of this serial (on any host), other than `exceptSessionId`. */
  openSessionsOfSerial(serial: string, exceptSessionId: string): Promise<Array<{ id: string; dockHost: string; mountPath: string; bay: string | null }>>;
  /** The latest session of this host at this mount path. */
  latestSessionAt(dockHost: string, mountPath: string): Promise<{ id: string; state: SessionState } | null>;
  /** Sessions of this host not ended, with their mount paths: to find those whose device left while the daemon was down. */
  openSessionsOfHost(dockHost: string): Promise<Array<{ id: string; mountPath: string }>>;
  /**
   * Moves the oldest `waiting` sessions of the host to `scanning` while fewer than `limit` are active
   * (scanning, securing, wiping), atomically across processes; returns those moved.
   */
  admitWaiting(dockHost: string, limit: number): Promise<AdmittedSession[]>;

  recordClock(sessionId: string, reading: ClockReading): Promise<void>;
  /** Marks the items secured in this session with its clock drift, when that was flagged. */
  flagClockDrift(sessionId: string): Promise<number>;
  /** The flagged clock drift of these items (those without one are absent). */
  clockDriftOf(itemIds: string[]): Promise<Map<string, number>>;

  setWipe(sessionId: string, state: WipeState, reason: string | null): Promise<void>;
  /** Files of the session whose stored copy is verified (secured or a duplicate of an item) and not wiped yet. */
  wipeCandidates(sessionId: string): Promise<WipeCandidate[]>;
  /** One deleted file: marks it wiped and appends its custody event, in one transaction. */
  recordWiped(sessionId: string, relPath: string, event: CustodyEvent): Promise<void>;
}
