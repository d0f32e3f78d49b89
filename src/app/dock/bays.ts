import type { CustodyEventType } from '../../domain/custody.ts';
import type { EndState } from '../../domain/dock-session.ts';
import type { DockDeps } from './deps.ts';
import { type MoveRecord, moveSession } from './moves.ts';

type BayDeps = Pick<DockDeps, 'catalog' | 'docks' | 'queues' | 'clock' | 'config' | 'log'>;

/**
 * Starts waiting sessions while this host has fewer than `devices.maxConcurrent` devices scanning,
 * securing or wiping; the rest keep waiting in docking order. Called whenever a slot may have freed up
 * (a session ended, a device docked or left, an admin approved a device) and on the dock's tick.
 */
export async function admitWaiting(deps: BayDeps): Promise<void> {
  const { docks, queues, config, log } = deps;
  for (const s of await docks.admitWaiting(config.dockHost, config.devices.maxConcurrent)) {
    await queues.add('scan-device', { sessionId: s.id, deviceSerial: s.deviceSerial, mountPath: s.mountPath, deviceDev: s.deviceDev });
    log.info({ sessionId: s.id, deviceSerial: s.deviceSerial, mountPath: s.mountPath }, 'scanning device');
  }
}

/**
 * Ends a session (a state that ends it, with the custody event that records it if any), flags its items
 * when its clock drifted, and frees its slot. Returns false when it had already ended (nothing changed).
 */
export async function endSession(deps: BayDeps, sessionId: string, state: EndState, reason: string | null, record?: MoveRecord): Promise<boolean> {
  if (!(await moveSession(deps, sessionId, state, reason, record))) return false;
  const flagged = await deps.docks.flagClockDrift(sessionId);
  if (flagged > 0) deps.log.warn({ sessionId, items: flagged }, 'items flagged: the device clock was off by more than devices.clockDriftThresholdSec');
  await admitWaiting(deps);
  return true;
}

/**
 * The device left before its session was done: the session is `interrupted` with the reason, nothing
 * partial is recorded as secured, and docking it again secures what is missing.
 */
export async function interruptSession(
  deps: BayDeps,
  session: { sessionId: string; deviceSerial: string | null; mountPath: string },
  reason: string,
  eventType: CustodyEventType & ('device-undocked' | 'session-interrupted') = 'session-interrupted',
): Promise<void> {
  const record = { type: eventType, deviceSerial: session.deviceSerial, details: { mountPath: session.mountPath, reason } };
  if (!(await endSession(deps, session.sessionId, 'interrupted', reason, record))) return;
  deps.log.warn({ sessionId: session.sessionId, deviceSerial: session.deviceSerial, mountPath: session.mountPath, reason }, 'device left before it was safe to undock');
}
