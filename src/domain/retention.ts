import type { RetentionClassName } from '../ports/lock-records.ts';

export type RetentionPeriods = Record<RetentionClassName, number>;

const DAY_MS = 86_400_000;

/** The class that keeps longest (by configured days): "longest wins" when an item has several. */
export function longestClass(classes: RetentionClassName[], periods: RetentionPeriods): RetentionClassName {
  if (classes.length === 0) throw new Error('longestClass: no class given');
  return classes.reduce((best, c) => (periods[c] > periods[best] ? c : best));
}

/** Retention runs from when the item was secured, so re-applying it on retry gives the same date. */
export function retainUntil(securedAt: Date, retentionClass: RetentionClassName, periods: RetentionPeriods): Date {
  return new Date(securedAt.getTime() + periods[retentionClass] * DAY_MS);
}
