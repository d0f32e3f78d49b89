import type { EvidenceItem } from '../../domain/evidence.ts';
import type { LockRecords } from '../../ports/lock-records.ts';
import type { ObjectLock } from '../../ports/object-lock.ts';
import type { StoredObject } from '../../ports/object-store.ts';

/** What the bucket says about one object's lock, read back from the store itself. */
export interface ObjectLockState {
  mode: string | null;
  until: Date | null;
  legalHold: boolean;
}

export async function readLockState(lock: ObjectLock, object: StoredObject): Promise<ObjectLockState> {
  const [retention, legalHold] = await Promise.all([lock.retention(object), lock.legalHold(object)]);
  return { mode: retention?.mode ?? null, until: retention?.until ?? null, legalHold };
}

/**
 * One object's lock against the catalog: the retention recorded last for this version (mode and end) and
 * whether a case holds the item. A lock shortened, a mode changed, a hold lifted or a lock missing is named.
 */
export async function lockProblems(deps: { lock: ObjectLock; records: LockRecords }, object: StoredObject, heldBy: string[]): Promise<string[]> {
  const [state, recorded] = await Promise.all([readLockState(deps.lock, object), deps.records.currentRetention(object)]);
  const problems: string[] = [];
  if (!state.until) problems.push(`carries no object-lock retention${recorded ? `; the catalog says ${recorded.mode} until ${recorded.retainUntil.toISOString()}` : ''}`);
  else if (recorded) {
    if (state.until.getTime() < recorded.retainUntil.getTime()) {
      problems.push(`its lock was shortened: locked until ${state.until.toISOString()}, the catalog says ${recorded.retainUntil.toISOString()}`);
    }
    if (state.mode !== recorded.mode) problems.push(`its lock mode is ${state.mode}, the catalog says ${recorded.mode}`);
  }
  if (heldBy.length > 0 && !state.legalHold) problems.push(`its legal hold was lifted: case ${heldBy.join(', ')} holds it in the catalog, the bucket has no hold`);
  return problems;
}

/** The original (its recorded version) and the manifest (its current version) of an item. */
export function lockedObjects(item: EvidenceItem, manifestVersion: string | null): Array<{ kind: 'original' | 'manifest'; object: StoredObject }> {
  return [
    { kind: 'original', object: { key: item.objects.original, versionId: item.objects.originalVersion } },
    { kind: 'manifest', object: { key: item.objects.manifest, versionId: manifestVersion } },
  ];
}
