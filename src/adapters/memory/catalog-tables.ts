import type { DeviceType } from '../../config/devices-schema.ts';
import type { ClockReading } from '../../domain/clock.ts';
import type { CustodyEvent } from '../../domain/custody.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { DeviceStatus } from '../../domain/recorders.ts';
import type { SessionFile, SessionProgress } from '../../ports/catalog.ts';
import type { DockDetails, WipeState } from '../../ports/docks.ts';

/** A dock_sessions row: what a session's progress reports of it, and how it was docked. */
export interface SessionRow extends Pick<SessionProgress, 'id' | 'deviceSerial' | 'dockHost' | 'mountPath' | 'state' | 'reason' | 'startedAt' | 'endedAt'> {
  details: DockDetails | null;
  wipeState: WipeState | null;
  wipeReason: string | null;
  clock: ClockReading;
}

export interface SessionFileRow extends SessionFile {
  protectedAt: Date | null;
  wipedAt: Date | null;
}

export interface DeviceRow {
  serial: string;
  serialSource: string;
  label: string | null;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  status: DeviceStatus;
  model: string | null;
  deviceType: DeviceType | null;
}

/**
 * The rows the in-memory Catalog and Docks share, as the PostgreSQL adapters share one database: each
 * adapter writes only its own (the catalog: items, device files, session files, custody events; the
 * docks: dock sessions and devices). Reads return copies, so a caller never changes a row in place.
 */
export class CatalogTables {
  readonly sessions = new Map<string, SessionRow>();
  readonly files = new Map<string, Map<string, SessionFileRow>>();
  readonly items = new Map<string, EvidenceItem & { clockDriftMs: number | null }>();
  /** Device file identity (serial, path, size, mtime) → item. */
  readonly deviceFiles = new Map<string, { itemId: string; firstSession: string }>();
  readonly devices = new Map<string, DeviceRow>();
  /** Officer assignments, newest last. */
  readonly assignments: Array<{ deviceSerial: string; officerId: string; validFrom: Date }> = [];
  readonly events: CustodyEvent[] = [];

  filesOf(sessionId: string): Map<string, SessionFileRow> {
    let files = this.files.get(sessionId);
    if (!files) this.files.set(sessionId, (files = new Map()));
    return files;
  }

  progress(s: SessionRow): SessionProgress {
    const files = [...this.filesOf(s.id).values()];
    const media = files.filter((f) => f.kind !== null);
    const verified = files.filter((f) => f.state === 'secured' || f.state === 'duplicate');
    return {
      id: s.id, deviceSerial: s.deviceSerial, dockHost: s.dockHost, mountPath: s.mountPath, state: s.state, reason: s.reason,
      startedAt: s.startedAt, endedAt: s.endedAt,
      filesTotal: media.length,
      filesDone: media.filter((f) => f.state !== 'pending').length,
      filesSecured: verified.length,
      filesFailed: media.filter((f) => f.state === 'failed' || f.state === 'refused').length,
      bytesTotal: media.reduce((n, f) => n + f.size, 0),
      bytesSecured: verified.reduce((n, f) => n + f.size, 0),
    };
  }
}

export const deviceFileKey = (serial: string, relPath: string, size: number, mtimeMs: number) => JSON.stringify([serial, relPath, size, Math.trunc(mtimeMs)]);
