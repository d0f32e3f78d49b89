import type { Config } from '../../config/schema.ts';
import type { RetentionClass } from '../../domain/checklist.ts';
import { custodyEvent, type CustodyEvent } from '../../domain/custody.ts';
import { longestClass, retainUntil } from '../../domain/retention.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EvidenceLocks } from '../../ports/evidence-locks.ts';
import type { ItemLockSubject, LockRecords, RetentionRecord } from '../../ports/lock-records.ts';
import type { ObjectLock } from '../../ports/object-lock.ts';
import type { ObjectStore, StoredObject } from '../../ports/object-store.ts';

export interface EvidenceLocksDeps {
  config: Config;
  clock: Clock;
  store: ObjectStore;
  lock: ObjectLock;
  records: LockRecords;
  /** The retention class of a checklist row (from the recording checklist), null when unknown. */
  checklistClass: (rowId: string) => RetentionClass | null;
}

/** Object-lock retention and legal holds on evidence, recorded in the catalog and the custody chain. */
export class LockKeeper implements EvidenceLocks {
  constructor(private readonly deps: EvidenceLocksDeps) {}

  private async subject(itemId: string): Promise<ItemLockSubject> {
    const subject = await this.deps.records.lockSubject(itemId);
    if (!subject) throw new Error(`no evidence item ${itemId}`);
    return subject;
  }

  /** Original and the manifest's current version: what an item's locks and holds cover. */
  private async objectsOf(s: ItemLockSubject): Promise<StoredObject[]> {
    const manifest = await this.deps.store.stat(s.manifestKey);
    if (!manifest) throw new Error(`manifest ${s.manifestKey} of item ${s.itemId} is missing from the bucket; run "evidock verify"`);
    return [s.original, { key: manifest.key, versionId: manifest.versionId }];
  }

  private event(type: CustodyEvent['type'], itemId: string | null, actor: string, details: Record<string, unknown>): CustodyEvent {
    return custodyEvent(type, this.deps.clock.now(), actor, { itemId }, details);
  }

  /** Sets the lock on each object whose recorded retention ends earlier; records what it did. */
  private async retain(itemId: string | null, objects: StoredObject[], retentionClass: RetentionClass, until: Date, actor: string) {
    const { config, lock, records, clock } = this.deps;
    const set: RetentionRecord[] = [];
    for (const object of objects) {
      const current = await records.currentRetention(object);
      if (current && current.retainUntil >= until) continue;
      await lock.retain(object, config.retention.mode, until);
      set.push({ itemId, object, retentionClass, mode: config.retention.mode, retainUntil: until, setAt: clock.now() });
    }
    if (set.length === 0) return;
    await records.recordRetention(set, [
      this.event('retention-set', itemId, actor, {
        retentionClass, mode: config.retention.mode, until: until.toISOString(), objects: set.map((r) => r.object),
      }),
    ]);
  }

  async protectItem(itemId: string, actor: string, classes: RetentionClass[] = []) {
    const { config, checklistClass } = this.deps;
    const s = await this.subject(itemId);
    const fromRow = s.checklistRow ? checklistClass(s.checklistRow) : null;
    const retentionClass = longestClass([fromRow ?? config.retention.defaultClass, ...classes], config.retention.classes);
    const until = retainUntil(s.securedAt, retentionClass, config.retention.classes);
    await this.retain(itemId, await this.objectsOf(s), retentionClass, until, actor);
    if (s.caseId && !s.caseArchived) await this.placeCaseHold(s.caseId, [itemId], actor, `recording of open case ${s.caseId}`);
    return { retentionClass, until };
  }

  async isProtected(itemId: string): Promise<boolean> {
    const { store, lock, clock } = this.deps;
    const s = await this.subject(itemId);
    const manifest = await store.stat(s.manifestKey);
    if (!manifest) return false;
    const now = clock.now();
    for (const object of [s.original, { key: manifest.key, versionId: manifest.versionId }]) {
      const retention = await lock.retention(object);
      if (!(retention && retention.until > now) && !(await lock.legalHold(object))) return false;
    }
    return true;
  }

  async fileInCaseFile(itemIds: string[], caseFileId: string, actor: string): Promise<void> {
    for (const itemId of itemIds) await this.protectItem(itemId, `${actor} (case file ${caseFileId})`, ['permanent']);
  }

  async lockObject(object: StoredObject, actor: string): Promise<void> {
    const until = retainUntil(this.deps.clock.now(), 'permanent', this.deps.config.retention.classes);
    await this.retain(null, [object], 'permanent', until, actor);
  }

  async placeCaseHold(caseId: string, itemIds: string[], actor: string, reason: string): Promise<void> {
    const { lock, records, clock } = this.deps;
    for (const itemId of itemIds) {
      if ((await records.holding(itemId)).includes(caseId)) continue;
      const objects = await this.objectsOf(await this.subject(itemId));
      // The hold is on the objects before it is recorded: the record never claims a hold that is not there.
      for (const object of objects) await lock.setLegalHold(object, true);
      await records.recordHolds(
        [{ itemId, caseId, action: 'placed', at: clock.now(), actor, reason }],
        [this.event('legal-hold-placed', itemId, actor, { caseId, reason, objects })],
      );
    }
  }

  async liftCaseHold(caseId: string, itemIds: string[], actor: string, reason: string) {
    const { lock, records, clock } = this.deps;
    const released: string[] = [];
    const stillHeld: string[] = [];
    const held = new Set(await records.heldBy(caseId));
    for (const itemId of itemIds.filter((id) => held.has(id))) {
      const others = (await records.holding(itemId)).filter((c) => c !== caseId);
      // Recorded first, released after: a failure in between leaves the objects held, never the reverse.
      await records.recordHolds(
        [{ itemId, caseId, action: 'lifted', at: clock.now(), actor, reason }],
        [this.event('legal-hold-lifted', itemId, actor, { caseId, reason, stillHeldBy: others })],
      );
      if (others.length > 0) {
        stillHeld.push(itemId);
        continue;
      }
      for (const object of await this.objectsOf(await this.subject(itemId))) await lock.setLegalHold(object, false);
      released.push(itemId);
    }
    return { released, stillHeld };
  }
}
