import type { CustodyEventType } from './custody.ts';

/**
 * A dock session's state, which is its bay's state: `detected` (being identified), `held` (device not
 * approved), `waiting` (for a free slot), `scanning`, `securing`, `wiping`, then `secured` (safe to undock),
 * `attention`, `interrupted` (device left early) or `refused` (not taken, e.g. its serial is docked elsewhere).
 */
export const sessionStates = ['detected', 'held', 'waiting', 'scanning', 'securing', 'wiping', 'secured', 'attention', 'interrupted', 'refused'] as const;
export type SessionState = (typeof sessionStates)[number];

export const endStates = ['secured', 'attention', 'interrupted', 'refused'] as const satisfies readonly SessionState[];
export type EndState = (typeof endStates)[number];
/** Sessions that hold one of the host's `devices.maxConcurrent` slots. */
export const activeStates = ['scanning', 'securing', 'wiping'] as const satisfies readonly SessionState[];

export const isEnded = (state: SessionState): state is EndState => (endStates as readonly string[]).includes(state);

/** What one transition writes beside the new state: the custody event types that may record it (none: none). */
interface Rule {
  records: readonly CustodyEventType[];
}

const none: Rule = { records: [] };
// Every session that has not ended can be interrupted: its device left, or docked again elsewhere.
const interrupted: Rule = { records: ['session-interrupted', 'device-undocked'] };

/**
 * The allowed transitions. Whatever is not here is an error: an ended session is not reopened, except
 * `attention` → `securing` when an admin retries a failed file (an `interrupted` one stays so: its
 * device left, and the next dock secures what is missing).
 */
const transitions: { readonly [From in SessionState]: Partial<Record<SessionState, Rule>> } = {
  detected: { held: { records: ['device-held'] }, waiting: none, refused: { records: ['device-refused'] }, interrupted },
  held: { waiting: none, interrupted },
  waiting: { scanning: none, interrupted },
  scanning: { securing: none, attention: none, interrupted },
  securing: { wiping: none, secured: none, attention: none, interrupted },
  wiping: { secured: none, attention: none, interrupted },
  attention: { securing: none },
  secured: {},
  interrupted: {},
  refused: {},
};

/**
 * States a session may be opened in: docked (`detected`), started at once (`scanning`, no admission step),
 * or `secured` when reindex rebuilds it from the manifests (it ends as it starts).
 */
export const openingStates = ['detected', 'scanning', 'secured'] as const satisfies readonly SessionState[];
export type OpeningState = (typeof openingStates)[number];

export class IllegalSessionTransition extends Error {
  override name = 'IllegalSessionTransition';
  constructor(
    readonly from: SessionState,
    readonly to: SessionState,
    why: string,
  ) {
    super(`dock session cannot go from ${from} to ${to}: ${why}`);
  }
}

/** One state change as it is written: compare-and-set on `from`, with its reason and end time. */
export interface SessionChange {
  from: SessionState;
  to: SessionState;
  reason: string | null;
  /** Set when `to` ends the session. */
  endedAt: Date | null;
}

export function canMove(from: SessionState, to: SessionState): boolean {
  return transitions[from][to] !== undefined;
}

/**
 * The change that moves a session from `from` to `to`, or an IllegalSessionTransition naming both.
 * `event` is the custody event type written with it; a transition that is recorded by an event needs
 * one of its types, and one that is not takes none.
 */
export function sessionTransition(from: SessionState, to: SessionState, change: { reason: string | null; at: Date; event?: CustodyEventType | null }): SessionChange {
  const rule = transitions[from][to];
  if (!rule) {
    throw new IllegalSessionTransition(from, to, isEnded(from) ? `the session has ended (${from})` : `only ${Object.keys(transitions[from]).join(', ')} follow ${from}`);
  }
  const event = change.event ?? null;
  if (rule.records.length > 0 && (event === null || !rule.records.includes(event))) {
    throw new IllegalSessionTransition(from, to, `it is recorded by a ${rule.records.join(' or ')} custody event`);
  }
  if (rule.records.length === 0 && event !== null) {
    throw new IllegalSessionTransition(from, to, `it is not recorded by a ${event} custody event`);
  }
  return { from, to, reason: change.reason, endedAt: isEnded(to) ? change.at : null };
}

/**
 * Nothing to do: the session is in `to` already, or has ended and `to` would end it too (a job finishing
 * after its device left, or two finishing jobs racing, must not reopen or re-end it). Any other move from
 * an ended state is illegal.
 */
export const alreadyThere = (from: SessionState, to: SessionState): boolean => from === to || (isEnded(from) && isEnded(to));
