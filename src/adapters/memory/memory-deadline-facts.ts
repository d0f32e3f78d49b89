import type { CustodyEvent } from '../../domain/custody.ts';
import type { LateItem } from '../../domain/deadlines.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { DeadlineFacts } from '../../ports/deadline-facts.ts';

/** The rule an item secured past the 24-hour limit breaks (as the PostgreSQL adapter names it). */
const B7 = 'B7-secure-within-24h';

/** What the deadline check reads, over a shared map of evidence items; breach custody events go to `events`. */
export class MemoryDeadlineFacts implements DeadlineFacts {
  private readonly flagged = new Set<string>();
  readonly events: CustodyEvent[] = [];

  constructor(private readonly items: Map<string, EvidenceItem>) {}

  async flagLateItems(limitMs: number, at: Date, actor: string, max: number): Promise<LateItem[]> {
    const late = [...this.items.values()]
      .filter((i) => i.securedAt.getTime() - i.capturedAt.getTime() > limitMs && !this.flagged.has(i.id))
      .sort((a, b) => a.securedAt.getTime() - b.securedAt.getTime())
      .slice(0, max);
    for (const i of late) {
      this.flagged.add(i.id);
      this.events.push({
        type: 'compliance-breach', at, actor, itemId: i.id, sessionId: i.sessionId, deviceSerial: i.deviceSerial, filePath: null,
        details: { rule: B7, capturedAt: i.capturedAt.toISOString(), securedAt: i.securedAt.toISOString(), delayMs: i.securedAt.getTime() - i.capturedAt.getTime(), limitMs },
      });
    }
    return late.map((i) => ({ itemId: i.id, sessionId: i.sessionId, deviceSerial: i.deviceSerial, officerId: i.officerId, capturedAt: i.capturedAt, securedAt: i.securedAt }));
  }

  async lateItemCount(): Promise<number> {
    return this.flagged.size;
  }

  async newestRecordings(serials: string[]): Promise<Map<string, Date>> {
    const newest = new Map<string, Date>();
    for (const i of this.items.values()) {
      const seen = newest.get(i.deviceSerial);
      if (serials.includes(i.deviceSerial) && (!seen || i.capturedAt > seen)) newest.set(i.deviceSerial, i.capturedAt);
    }
    return newest;
  }

  async evidenceTotals(): Promise<{ items: number; bytes: number }> {
    const all = [...this.items.values()];
    return { items: all.length, bytes: all.reduce((sum, i) => sum + i.size, 0) };
  }
}
