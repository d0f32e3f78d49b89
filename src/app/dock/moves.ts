import { custodyEvent, type CustodyEventType } from '../../domain/custody.ts';
import { alreadyThere, type SessionState, sessionTransition } from '../../domain/dock-session.ts';
import type { DockDeps } from './deps.ts';

type MoveDeps = Pick<DockDeps, 'docks' | 'clock' | 'config' | 'log'>;

/** The custody event that records a move (for the transitions the state machine says are recorded). */
export interface MoveRecord {
  type: CustodyEventType;
  deviceSerial: string | null;
  details: Record<string, unknown>;
}

const ATTEMPTS = 5;

/**
 * Moves a dock session to `to` through the state machine (src/domain/dock-session.ts), from the state it
 * is in now; an illegal move throws naming both states. Returns false when there was nothing to do (it is
 * in `to` already, or it had ended and `to` ends it too: a late job). Another process moving it meanwhile makes this
 * read it again and decide anew.
 */
export async function moveSession(deps: MoveDeps, sessionId: string, to: SessionState, reason: string | null, record?: MoveRecord): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await deps.docks.dockDetails(sessionId);
    if (!current) throw new Error(`no dock session ${sessionId}`);
    if (alreadyThere(current.state, to)) return false;
    const at = deps.clock.now();
    const change = sessionTransition(current.state, to, { reason, at, event: record?.type ?? null });
    const events = record ? [custodyEvent(record.type, at, deps.config.dockHost, { sessionId, deviceSerial: record.deviceSerial }, record.details)] : [];
    if (await deps.docks.moveSession(sessionId, change, events)) {
      // One line per bay state change, so an operator can follow a bay in the journal alone.
      deps.log.info({ sessionId, deviceSerial: current.deviceSerial, bay: current.bay, from: current.state, to, reason, sinceDockedMs: at.getTime() - current.startedAt.getTime() }, `bay ${current.bay}: ${current.state} → ${to}`);
      return true;
    }
  }
  throw new Error(`dock session ${sessionId} kept changing state while it was moved to ${to}; it is moved again at the next dock tick or retry`);
}
