import { ulid } from 'ulid';
import { custodyEvent } from '../../domain/custody.ts';
import type { DeviceEvent, DockedDevice } from '../../ports/device-source.ts';
import { admitWaiting, endSession, interruptSession } from './bays.ts';
import type { DockDeps } from './deps.ts';
import { examine } from './admission.ts';
import { deviceDevOf, mountedAt } from './device-presence.ts';
import { moveSession } from './moves.ts';
import { finishSession, settleSession } from './session.ts';

/**
 * Turns device arrivals and departures into dock sessions, one per bay: identifies the device, leaves
 * alone what is not a recorder, holds what is not approved, refuses a serial that is docked elsewhere,
 * and lets at most `devices.maxConcurrent` devices be worked on at once (the rest wait in order).
 */
export class DockController {
  /** Arrivals and departures are handled one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  /** Devices docked now, in this process, by mount path. */
  private readonly present = new Map<string, DockedDevice>();
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly deps: DockDeps) {}

  handle(event: DeviceEvent): Promise<void> {
    return this.serially(`dock event (${event.type}) at ${event.mountPath} not handled; undock and dock the device again`, () =>
      event.type === 'docked' ? this.docked(event) : this.undocked(event.mountPath, event.reason ?? 'removed'));
  }

  /**
   * Every `tickMs`: starts sessions an admin approved from another process; docks again a device whose
   * session was interrupted but which answers at its mount (pulled and plugged back faster than its source
   * noticed); and, once the device sources have had `settledAfterMs` to report what is present, interrupts
   * sessions of this host whose device is no longer docked (it left while the daemon was down).
   */
  start(tickMs: number, settledAfterMs: number): void {
    const settledAt = Date.now() + settledAfterMs;
    this.ticker = setInterval(() => void this.serially('dock tick failed; retrying at the next', () => this.tick(Date.now() >= settledAt)), tickMs);
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    await this.queue;
  }

  private serially(failure: string, work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((err) => this.deps.log.error({ err }, failure));
    return this.queue;
  }

  private async tick(settled: boolean): Promise<void> {
    for (const [mountPath, device] of this.present) {
      if (device.via !== 'mount') continue;
      const latest = await this.deps.docks.latestSessionAt(this.deps.config.dockHost, mountPath);
      if (latest?.state !== 'interrupted' || !(await mountedAt(mountPath))) continue;
      this.deps.log.info({ mountPath, interruptedSession: latest.id }, 'device back at its bay; docking it again');
      await this.docked(device);
    }
    for (const s of settled ? await this.deps.docks.openSessionsOfHost(this.deps.config.dockHost) : []) {
      if (this.present.has(s.mountPath)) {
        // Settling again re-checks it from the catalog: a wipe whose job was lost (a crash while it was
        // queued) is queued again; a session with a file not yet shown locked stays as it is.
        await settleSession(this.deps, s.id);
        continue;
      }
      const progress = await this.deps.catalog.sessionProgress(s.id);
      await interruptSession(this.deps, { sessionId: s.id, deviceSerial: progress?.deviceSerial ?? null, mountPath: s.mountPath }, 'the device is no longer docked (it left while evidock was not running); dock it again to secure what is missing');
    }
    await admitWaiting(this.deps);
  }

  private async docked(device: DockedDevice): Promise<void> {
    const { catalog, docks, clock, config, log } = this.deps;
    const { mountPath } = device;
    const bay = device.bay ?? mountPath;
    const deviceDev = await deviceDevOf(mountPath);
    const { identity, recognition, model, admission } = await examine(this.deps, device);
    const serial = identity.serial;
    if (admission.action === 'ignore') {
      log.info({ mountPath, bay, usb: device.usb ?? null, volumeLabel: device.volumeLabel, reason: admission.reason }, 'not a recorder: left alone');
      return;
    }
    this.present.set(mountPath, device);
    const now = clock.now();
    await docks.recordDetected({ serial, serialSource: identity.source, label: device.volumeLabel, seenAt: now, status: admission.register, model: model?.name ?? null, deviceType: model?.type ?? null });
    for (const stale of await catalog.openSessionsAt(config.dockHost, mountPath)) {
      await interruptSession(this.deps, { sessionId: stale, deviceSerial: null, mountPath }, 'superseded: the device was docked again');
    }

    const sessionId = ulid(now.getTime());
    await docks.openSession({ id: sessionId, deviceSerial: serial, dockHost: config.dockHost, mountPath, startedAt: now, state: 'detected' });
    await docks.describeSession(sessionId, {
      via: device.via ?? 'folder', bay, model: model?.name ?? null, deviceType: model?.type ?? null, usb: device.usb ?? null,
      fsType: device.fsType ?? null, readOnly: device.readOnly ?? false, deviceDev, wipePolicy: model?.wipe ?? 'never',
    });
    await catalog.addCustodyEvents([custodyEvent('device-detected', clock.now(), config.dockHost, { sessionId, deviceSerial: serial }, {
      mountPath, bay, serialSource: identity.source, volumeLabel: device.volumeLabel, usb: device.usb ?? null,
      model: model?.name ?? null, recognisedBy: recognition.kind === 'model' ? recognition.match.by : recognition.why, deviceStatus: admission.register,
    })]);
    const context = { sessionId, deviceSerial: serial, mountPath, bay };

    const twin = await this.dockedElsewhere(serial, sessionId);
    if (twin) {
      const reason = `refused: a device with serial ${serial} is already docked at ${twin}; two devices with one serial are never merged: check this device's id file`;
      await endSession(this.deps, sessionId, 'refused', reason, { type: 'device-refused', deviceSerial: serial, details: { reason, dockedAt: twin } });
      log.error({ ...context, alert: 'duplicate-serial', dockedAt: twin }, 'two devices with one serial: the second is refused');
      return;
    }
    if (admission.action === 'hold') {
      await moveSession(this.deps, sessionId, 'held', admission.reason, { type: 'device-held', deviceSerial: serial, details: { reason: admission.reason } });
      log.warn({ ...context, reason: admission.reason }, 'device held until an admin approves it');
      return;
    }
    await moveSession(this.deps, sessionId, 'waiting', null);
    log.info({ ...context, serialSource: identity.source, model: model?.name ?? null }, 'device docked');
    await admitWaiting(this.deps);
  }

  /** Where another live session of this serial is docked; a session of this host whose mount is gone is stale and ends. */
  private async dockedElsewhere(serial: string, sessionId: string): Promise<string | null> {
    for (const other of await this.deps.docks.openSessionsOfSerial(serial, sessionId)) {
      if (other.dockHost !== this.deps.config.dockHost || this.present.has(other.mountPath)) return `${other.bay ?? other.mountPath} on ${other.dockHost}`;
      await interruptSession(this.deps, { sessionId: other.id, deviceSerial: serial, mountPath: other.mountPath }, 'the device is no longer docked here (it was docked again elsewhere)');
    }
    return null;
  }

  private async undocked(mountPath: string, why: string): Promise<void> {
    const { catalog, docks } = this.deps;
    this.present.delete(mountPath);
    for (const sessionId of await catalog.openSessionsAt(this.deps.config.dockHost, mountPath)) {
      const progress = await catalog.sessionProgress(sessionId);
      if (progress?.state === 'wiping') {
        // Every file was secured before wiping began: the session ends as its files say; the wipe did not finish.
        await docks.setWipe(sessionId, 'failed', `the device was removed (${why}) while it was wiped; its files are secured`);
        await finishSession(this.deps, progress);
        continue;
      }
      const reason = `device removed (${why}) with ${progress?.filesDone ?? 0} of ${progress?.filesTotal ?? 0} files handled; dock it again to secure the rest`;
      await interruptSession(this.deps, { sessionId, deviceSerial: progress?.deviceSerial ?? null, mountPath }, reason, 'device-undocked');
    }
  }
}
