import type { DeviceType } from '../../config/devices-schema.ts';
import type { ClockReading } from '../../domain/clock.ts';
import type { CustodyEvent } from '../../domain/custody.ts';
import { activeStates, isEnded, type OpeningState, type SessionChange, sessionTransition } from '../../domain/dock-session.ts';
import type { SerialSource } from '../../domain/identity.ts';
import type { DeviceStatus } from '../../domain/recorders.ts';
import type { AdmittedSession, BayInfo, DockDetails, Docks, WipeCandidate, WipeState } from '../../ports/docks.ts';
import { CatalogTables, type SessionRow } from './catalog-tables.ts';

const FOLDER_DOCK: DockDetails = { via: 'folder', bay: '', model: null, deviceType: null, usb: null, fsType: null, readOnly: false, deviceDev: null, wipePolicy: 'never' };

/** Device approval, bays, admission and wiping in memory, over the tables the MemoryCatalog shares. */
export class MemoryDocks implements Docks {
  constructor(readonly tables: CatalogTables) {}

  private session(id: string): SessionRow | undefined {
    return this.tables.sessions.get(id);
  }

  private details(s: SessionRow): DockDetails {
    return { ...(s.details ?? { ...FOLDER_DOCK, bay: s.mountPath }) };
  }

  async upsertDevice(d: { serial: string; serialSource: string; label: string | null; seenAt: Date }): Promise<void> {
    const known = this.tables.devices.get(d.serial);
    if (!known) {
      this.tables.devices.set(d.serial, { serial: d.serial, serialSource: d.serialSource, label: d.label, firstSeenAt: d.seenAt, lastSeenAt: d.seenAt, status: 'approved', model: null, deviceType: null });
      return;
    }
    if (known.firstSeenAt === null) known.serialSource = d.serialSource;
    known.firstSeenAt ??= d.seenAt;
    known.lastSeenAt = d.seenAt;
    known.label = d.label ?? known.label;
  }

  async openSession(s: { id: string; deviceSerial: string; dockHost: string; mountPath: string; startedAt: Date; state?: OpeningState; reason?: string | null }): Promise<void> {
    if (this.tables.sessions.has(s.id)) return;
    // As the database's foreign key: a session is of a device the register knows.
    if (!this.tables.devices.has(s.deviceSerial)) throw new Error(`no device ${s.deviceSerial}: a session is opened for a device recorded first`);
    const state = s.state ?? 'scanning';
    this.tables.sessions.set(s.id, {
      id: s.id, deviceSerial: s.deviceSerial, dockHost: s.dockHost, mountPath: s.mountPath, state, reason: s.reason ?? null,
      startedAt: s.startedAt, endedAt: isEnded(state) ? s.startedAt : null, details: null, wipeState: null, wipeReason: null,
      clock: { driftMs: null, source: null, flagged: false },
    });
  }

  async deviceStatus(serial: string): Promise<DeviceStatus | null> {
    return this.tables.devices.get(serial)?.status ?? null;
  }

  async recordDetected(d: { serial: string; serialSource: SerialSource; label: string | null; seenAt: Date; status: DeviceStatus; model: string | null; deviceType: DeviceType | null }): Promise<void> {
    const known = this.tables.devices.get(d.serial);
    if (!known) {
      this.tables.devices.set(d.serial, { serial: d.serial, serialSource: d.serialSource, label: d.label, firstSeenAt: d.seenAt, lastSeenAt: d.seenAt, status: d.status, model: d.model, deviceType: d.deviceType });
      return;
    }
    known.firstSeenAt ??= d.seenAt;
    known.lastSeenAt = d.seenAt;
    known.label = d.label ?? known.label;
    known.model ??= d.model;
    known.deviceType ??= d.deviceType;
  }

  async approve(serial: string, act: { actor: string; at: Date; reason: string | null }) {
    const device = this.tables.devices.get(serial);
    if (!device) return { outcome: 'unknown' as const, released: 0 };
    const already = device.status === 'approved';
    device.status = 'approved';
    const release = sessionTransition('held', 'waiting', { reason: null, at: act.at });
    let released = 0;
    for (const s of this.tables.sessions.values()) {
      if (s.deviceSerial !== serial || s.state !== release.from) continue;
      Object.assign(s, { state: release.to, reason: null });
      released += 1;
    }
    return { outcome: already ? ('already-approved' as const) : ('approved' as const), released };
  }

  async moveSession(sessionId: string, change: SessionChange, events: CustodyEvent[]): Promise<boolean> {
    const s = this.session(sessionId);
    if (!s || s.state !== change.from) return false;
    Object.assign(s, { state: change.to, reason: change.reason, endedAt: change.endedAt });
    this.tables.events.push(...events);
    return true;
  }

  async reopenFailedFile(sessionId: string, relPath: string): Promise<boolean> {
    const file = this.tables.filesOf(sessionId).get(relPath);
    if (file?.state !== 'failed') return false;
    Object.assign(file, { state: 'pending', reason: null });
    const reopen = sessionTransition('attention', 'securing', { reason: null, at: new Date(0) });
    const s = this.session(sessionId);
    if (s?.state === reopen.from) Object.assign(s, { state: reopen.to, reason: null, endedAt: null });
    return true;
  }

  async describeSession(sessionId: string, details: DockDetails): Promise<void> {
    const s = this.session(sessionId);
    if (!s) return;
    s.details = { ...details };
    s.wipeState = details.wipePolicy === 'after-verified' ? 'pending' : null;
  }

  async dockDetails(sessionId: string) {
    const s = this.session(sessionId);
    return s ? { ...this.details(s), deviceSerial: s.deviceSerial, startedAt: s.startedAt, state: s.state } : null;
  }

  async bays(sessionIds: string[]): Promise<Map<string, BayInfo>> {
    const bays = new Map<string, BayInfo>();
    for (const id of sessionIds) {
      const s = this.session(id);
      if (!s) continue;
      const waiting = [...this.tables.sessions.values()].filter((w) => w.dockHost === s.dockHost && w.state === 'waiting' && w.startedAt <= s.startedAt);
      bays.set(id, {
        ...this.details(s), sessionId: id, deviceStatus: this.tables.devices.get(s.deviceSerial)?.status ?? null,
        wipeState: s.wipeState, wipeReason: s.wipeReason, filesWiped: [...this.tables.filesOf(id).values()].filter((f) => f.wipedAt !== null).length,
        clock: { ...s.clock }, queuePosition: s.state === 'waiting' ? waiting.length : null,
      });
    }
    return bays;
  }

  private open(filter: (s: SessionRow) => boolean): SessionRow[] {
    return [...this.tables.sessions.values()].filter((s) => s.endedAt === null && filter(s)).sort((a, b) => a.id.localeCompare(b.id));
  }

  async openSessionsOfSerial(serial: string, exceptSessionId: string) {
    return this.open((s) => s.deviceSerial === serial && s.id !== exceptSessionId)
      .map((s) => ({ id: s.id, dockHost: s.dockHost, mountPath: s.mountPath, bay: s.details?.bay ?? null }));
  }

  async latestSessionAt(dockHost: string, mountPath: string) {
    const latest = [...this.tables.sessions.values()].filter((s) => s.dockHost === dockHost && s.mountPath === mountPath).sort((a, b) => a.id.localeCompare(b.id)).at(-1);
    return latest ? { id: latest.id, state: latest.state } : null;
  }

  async openSessionsOfHost(dockHost: string) {
    return this.open((s) => s.dockHost === dockHost).map((s) => ({ id: s.id, mountPath: s.mountPath }));
  }

  async admitWaiting(dockHost: string, limit: number): Promise<AdmittedSession[]> {
    const active = this.open((s) => s.dockHost === dockHost && (activeStates as readonly string[]).includes(s.state)).length;
    const admit = sessionTransition('waiting', 'scanning', { reason: null, at: new Date(0) });
    const waiting = [...this.tables.sessions.values()]
      .filter((s) => s.dockHost === dockHost && s.state === admit.from)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, Math.max(0, limit - active));
    return waiting.map((s) => {
      Object.assign(s, { state: admit.to, reason: null });
      return { id: s.id, deviceSerial: s.deviceSerial, mountPath: s.mountPath, deviceDev: s.details?.deviceDev ?? null };
    });
  }

  async recordClock(sessionId: string, reading: ClockReading): Promise<void> {
    const s = this.session(sessionId);
    if (s) s.clock = { ...reading };
  }

  async flagClockDrift(sessionId: string): Promise<number> {
    const s = this.session(sessionId);
    if (!s?.clock.flagged) return 0;
    let flagged = 0;
    for (const item of this.tables.items.values()) {
      if (item.sessionId !== sessionId || item.clockDriftMs !== null) continue;
      item.clockDriftMs = s.clock.driftMs;
      flagged += 1;
    }
    return flagged;
  }

  async clockDriftOf(itemIds: string[]): Promise<Map<string, number>> {
    const drifts = new Map<string, number>();
    for (const id of itemIds) {
      const drift = this.tables.items.get(id)?.clockDriftMs;
      if (drift !== undefined && drift !== null) drifts.set(id, drift);
    }
    return drifts;
  }

  async setWipe(sessionId: string, state: WipeState, reason: string | null): Promise<void> {
    const s = this.session(sessionId);
    if (s) Object.assign(s, { wipeState: state, wipeReason: reason });
  }

  async wipeCandidates(sessionId: string): Promise<WipeCandidate[]> {
    return [...this.tables.filesOf(sessionId).values()]
      .filter((f) => (f.state === 'secured' || f.state === 'duplicate') && f.itemId !== null && f.protectedAt !== null && f.wipedAt === null)
      .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
      .map((f) => ({ relPath: f.relPath, itemId: f.itemId!, size: f.size, mtimeMs: f.mtimeMs }));
  }

  async recordWiped(sessionId: string, relPath: string, event: CustodyEvent): Promise<void> {
    const f = this.tables.filesOf(sessionId).get(relPath);
    if (f) f.wipedAt = event.at;
    this.tables.events.push(event);
  }
}
