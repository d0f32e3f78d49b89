import { type FailureRecord, retryInMs, type ThrottleRules } from '../domain/login-throttle.ts';

/**
 * Failed logins in a row per key (`badge:<badge>`, `addr:<ip>`), in this process's memory: a guess at a
 * password is slowed on the badge it targets and from the address it comes from, with waits that double.
 * A success clears the badge's and the address's record. Kept in memory because it protects this
 * process's scrypt and answers; the chained log keeps the facts (per badge and minute).
 */
export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();

  constructor(private readonly rules: ThrottleRules, private readonly maxKeys = 100_000) {}

  /** Milliseconds until these keys may try again (the longest of them). */
  retryIn(keys: string[], now: number): number {
    return Math.max(0, ...keys.map((k) => retryInMs(this.records.get(k), this.rules, now)));
  }

  failed(keys: string[], now: number): void {
    for (const key of keys) {
      const record = this.records.get(key);
      this.records.delete(key);
      this.records.set(key, { failures: (record?.failures ?? 0) + 1, lastAt: now });
    }
    // A flood of made-up badges must not grow memory without bound: the oldest records go first.
    while (this.records.size > this.maxKeys) this.records.delete(this.records.keys().next().value!);
  }

  succeeded(keys: string[]): void {
    for (const key of keys) this.records.delete(key);
  }
}
