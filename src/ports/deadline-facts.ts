import type { LateItem } from '../domain/deadlines.ts';

/** What the scheduled check reads from the catalog, besides the device register (Registry). */
export interface DeadlineFacts {
  /**
   * Flags items secured more than `limitMs` after capture that are not flagged yet (a compliance breach,
   * B7, with a custody event on each) and returns those this call flagged, at most `max`.
   */
  flagLateItems(limitMs: number, at: Date, actor: string, max: number): Promise<LateItem[]>;
  /** Items flagged as secured late, in all. */
  lateItemCount(): Promise<number>;
  /** The newest capture time among each device's items. */
  newestRecordings(serials: string[]): Promise<Map<string, Date>>;
  /** Items and bytes of originals in the catalog. */
  evidenceTotals(): Promise<{ items: number; bytes: number }>;
}
