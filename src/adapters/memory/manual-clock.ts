import type { Clock } from '../../ports/clock.ts';

/** A clock that moves only when told: tests drive retention expiry, backoff and deadlines with it. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2026-05-01T08:00:00Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): Date {
    if (ms < 0) throw new Error(`ManualClock.advance(${ms}): time only moves forward; set() a later instant instead`);
    this.ms += ms;
    return this.now();
  }

  /** Moves to `at`, never back: a clock that went backwards would fake expiries the code never meets. */
  set(at: Date): void {
    if (at.getTime() < this.ms) throw new Error(`ManualClock.set(${at.toISOString()}) is before now (${this.now().toISOString()})`);
    this.ms = at.getTime();
  }
}
