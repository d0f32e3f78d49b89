import type { CustodyEvent } from '../../domain/custody.ts';
import type { HoldRecord, ItemLockSubject, LockRecords, RetentionRecord } from '../../ports/lock-records.ts';
import type { StoredObject } from '../../ports/object-store.ts';

const sameObject = (a: StoredObject, b: StoredObject) => a.key === b.key && a.versionId === b.versionId;

/**
 * Retention and legal-hold records in memory, appended as the PostgreSQL adapter appends them (current
 * state derived from the latest row). Lock subjects are the items as the test sets them in `subjects`.
 */
export class MemoryLockRecords implements LockRecords {
  readonly subjects = new Map<string, ItemLockSubject>();
  readonly retentions: RetentionRecord[] = [];
  readonly holds: HoldRecord[] = [];
  readonly events: CustodyEvent[] = [];

  async lockSubject(itemId: string): Promise<ItemLockSubject | null> {
    const subject = this.subjects.get(itemId);
    return subject ? structuredClone(subject) : null;
  }

  async currentRetention(object: StoredObject): Promise<RetentionRecord | null> {
    return this.retentions.filter((r) => sameObject(r.object, object)).at(-1) ?? null;
  }

  async recordRetention(records: RetentionRecord[], events: CustodyEvent[]): Promise<void> {
    this.retentions.push(...records.map((r) => structuredClone(r)));
    this.events.push(...events);
  }

  async expiring(before: Date, limit: number): Promise<RetentionRecord[]> {
    const current = new Map<string, RetentionRecord>();
    for (const r of this.retentions) current.set(`${r.object.key}\u0000${r.object.versionId}`, r);
    return [...current.values()]
      .filter((r) => r.retainUntil < before)
      .sort((a, b) => a.retainUntil.getTime() - b.retainUntil.getTime() || a.object.key.localeCompare(b.object.key))
      .slice(0, limit);
  }

  async recordHolds(records: HoldRecord[], events: CustodyEvent[]): Promise<void> {
    this.holds.push(...records.map((r) => structuredClone(r)));
    this.events.push(...events);
  }

  /** Pairs (item, case) whose latest hold action is `placed`. */
  private currentHolds(): HoldRecord[] {
    const latest = new Map<string, HoldRecord>();
    for (const h of this.holds) latest.set(`${h.itemId}\u0000${h.caseId}`, h);
    return [...latest.values()].filter((h) => h.action === 'placed');
  }

  async heldBy(caseId: string): Promise<string[]> {
    return this.currentHolds().filter((h) => h.caseId === caseId).map((h) => h.itemId).sort();
  }

  async holding(itemId: string): Promise<string[]> {
    return this.currentHolds().filter((h) => h.itemId === itemId).map((h) => h.caseId).sort();
  }
}
