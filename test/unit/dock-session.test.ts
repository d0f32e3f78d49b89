import { describe, expect, it } from 'vitest';
import type { CustodyEventType } from '../../src/domain/custody.ts';
import {
  alreadyThere, canMove, IllegalSessionTransition, isEnded, type SessionState, sessionStates, sessionTransition,
} from '../../src/domain/dock-session.ts';

const at = new Date('2026-12-03T10:00:00Z');

// Each allowed move, with the custody event that records it (null: none).
const allowed: Array<[SessionState, SessionState, CustodyEventType | null]> = [
  ['detected', 'held', 'device-held'],
  ['detected', 'waiting', null],
  ['detected', 'refused', 'device-refused'],
  ['detected', 'interrupted', 'session-interrupted'],
  ['held', 'waiting', null],
  ['held', 'interrupted', 'device-undocked'],
  ['waiting', 'scanning', null],
  ['waiting', 'interrupted', 'session-interrupted'],
  ['scanning', 'securing', null],
  ['scanning', 'attention', null],
  ['scanning', 'interrupted', 'device-undocked'],
  ['securing', 'wiping', null],
  ['securing', 'secured', null],
  ['securing', 'attention', null],
  ['securing', 'interrupted', 'session-interrupted'],
  ['wiping', 'secured', null],
  ['wiping', 'attention', null],
  ['wiping', 'interrupted', 'device-undocked'],
  ['attention', 'securing', null],
];

describe('the dock session state machine', () => {
  it.each(allowed)('%s → %s is allowed, recorded by %s', (from, to, event) => {
    const change = sessionTransition(from, to, { reason: 'why', at, event });
    expect(change).toEqual({ from, to, reason: 'why', endedAt: isEnded(to) ? at : null });
  });

  it('allows nothing else: every other pair of distinct states is an error naming both', () => {
    const legal = new Set(allowed.map(([f, t]) => `${f}>${t}`));
    let illegal = 0;
    for (const from of sessionStates) {
      for (const to of sessionStates) {
        if (from === to || legal.has(`${from}>${to}`)) continue;
        illegal += 1;
        expect(canMove(from, to)).toBe(false);
        const attempt = () => sessionTransition(from, to, { reason: null, at, event: 'session-interrupted' });
        expect(attempt).toThrow(IllegalSessionTransition);
        expect(attempt).toThrow(new RegExp(`from ${from} to ${to}`));
      }
    }
    // 10 states: 90 ordered pairs, 19 allowed.
    expect(illegal).toBe(90 - allowed.length);
  });

  it('never reopens an ended session except attention → securing (an admin retried a failed file)', () => {
    for (const from of ['secured', 'interrupted', 'refused'] as const) {
      for (const to of sessionStates) expect(canMove(from, to), `${from} → ${to}`).toBe(false);
    }
    expect(() => sessionTransition('interrupted', 'securing', { reason: null, at })).toThrow(/from interrupted to securing: the session has ended \(interrupted\)/);
  });

  it('a recorded transition needs its event type, and an unrecorded one takes none', () => {
    expect(() => sessionTransition('detected', 'held', { reason: 'not approved', at })).toThrow(/recorded by a device-held/);
    expect(() => sessionTransition('detected', 'held', { reason: 'not approved', at, event: 'device-refused' })).toThrow(/recorded by a device-held/);
    expect(() => sessionTransition('securing', 'interrupted', { reason: 'gone', at })).toThrow(/session-interrupted or device-undocked/);
    expect(() => sessionTransition('securing', 'secured', { reason: null, at, event: 'device-held' })).toThrow(/not recorded by a device-held/);
  });

  it('ends a session with the time of the move; other moves leave it open (a reopened one too)', () => {
    expect(sessionTransition('securing', 'secured', { reason: null, at }).endedAt).toEqual(at);
    expect(sessionTransition('attention', 'securing', { reason: null, at }).endedAt).toBeNull();
    expect(sessionTransition('securing', 'wiping', { reason: null, at }).endedAt).toBeNull();
  });

  it('has nothing to do when the session is there already, or ended and asked to end again (a late job)', () => {
    expect(alreadyThere('wiping', 'wiping')).toBe(true);
    expect(alreadyThere('interrupted', 'secured')).toBe(true);
    expect(alreadyThere('secured', 'attention')).toBe(true);
    expect(alreadyThere('securing', 'secured')).toBe(false);
    expect(alreadyThere('secured', 'securing')).toBe(false);
  });
});
