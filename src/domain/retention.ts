import type { RetentionClass } from './checklist.ts';

export type RetentionPeriods = Record<RetentionClass, number>;

const DAY_MS = 86_400_000;

/** The class that keeps longest (by configured days): "longest wins" when an item has several. */
export function longestClass(classes: RetentionClass[], periods: RetentionPeriods): RetentionClass {
  if (classes.length === 0) throw new Error('longestClass: no class given');
  return classes.reduce((best, c) => (periods[c] > periods[best] ? c : best));
}

/** Retention runs from when the item was secured, so re-applying it on retry gives the same date. */
export function retainUntil(securedAt: Date, retentionClass: RetentionClass, periods: RetentionPeriods): Date {
  return new Date(securedAt.getTime() + periods[retentionClass] * DAY_MS);
}
