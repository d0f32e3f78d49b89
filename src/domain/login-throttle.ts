/** How login attempts are slowed after failures (per badge and per client address). */
export interface ThrottleRules {
  /** Failures in a row that cost nothing extra (typos). */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; doubles with each further one. */
  delayMs: number;
  maxDelayMs: number;
}

/** Failures in a row for one key, and when the last one was. */
export interface FailureRecord {
  failures: number;
  lastAt: number;
}

/** How long after the last failure the next attempt must wait (0: at once). */
export function waitAfter(record: FailureRecord | undefined, rules: ThrottleRules): number {
  if (!record || record.failures < rules.freeFailures) return 0;
  const doublings = Math.min(record.failures - rules.freeFailures, 30);
  return Math.min(rules.delayMs * 2 ** doublings, rules.maxDelayMs);
}

/** Milliseconds until an attempt is allowed at `now` (0: allowed now). */
export function retryInMs(record: FailureRecord | undefined, rules: ThrottleRules, now: number): number {
  if (!record) return 0;
  return Math.max(0, record.lastAt + waitAfter(record, rules) - now);
}
