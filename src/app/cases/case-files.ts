import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { type CaseFileEntry, caseFileDue, caseFileKey, caseFileManifest } from '../../domain/case-files.ts';
import type { CaseClosure, CaseFileRecord, CaseRecords } from '../../ports/case-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EvidenceLocks } from '../../ports/evidence-locks.ts';
import type { ItemSearch } from '../../ports/item-search.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { TagStore } from '../../ports/tag-store.ts';
import { RequestError } from '../request-error.ts';

export interface CaseFileDeps {
  records: CaseRecords;
  items: Pick<ItemSearch, 'ofCase'>;
  store: Pick<ObjectStore, 'put' | 'read' | 'stat'>;
  locks: Pick<EvidenceLocks, 'lockObject' | 'fileInCaseFile' | 'liftCaseHold'>;
  clock: Clock;
}

/**
 * Closes a case with the end of its enforcement act (a later closure corrects an earlier one, with its
 * reason). Only a case something names (an activity or a recording): a closed unknown case would start a
 * case-file deadline, and its alert, that nothing could ever meet.
 */
export async function closeCase(deps: Pick<CaseFileDeps, 'records' | 'clock'> & { tags: Pick<TagStore, 'activitiesOfCase' | 'itemsOfCase'> }, caseId: string, endedAt: Date, actor: string, reason: string | null): Promise<CaseClosure> {
  const now = deps.clock.now();
  if (endedAt.getTime() > now.getTime()) throw new RequestError('invalid', `the end date ${endedAt.toISOString()} is in the future; a case is closed once its enforcement act is over`, 'endedAt');
  const [activities, recordings] = await Promise.all([deps.tags.activitiesOfCase(caseId), deps.tags.itemsOfCase(caseId)]);
  if (activities.length === 0 && recordings.length === 0) {
    throw new RequestError('not-found', `no case "${caseId}": no activity or recording names it; import its activities or tag its recordings first`, 'caseId');
  }
  const closure = { caseId, endedAt, closedAt: now, closedBy: actor, reason };
  await deps.records.closeCase(closure);
  return closure;
}

async function sha256Of(store: CaseFileDeps['store'], key: string, versionId: string | null): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.read(key, versionId)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Files a closed case (案卷): every recording tagged with it, each with its original's and manifest's
 * versions and hashes, frozen into one manifest written to MinIO and locked; the recordings are then kept
 * permanently (issue 8's locks).
 */
export async function fileCase(deps: CaseFileDeps, caseId: string, actor: string): Promise<CaseFileRecord> {
  const closure = await deps.records.closure(caseId);
  if (!closure) throw new RequestError('conflict', `case ${caseId} is not closed; close it with its end date first (POST /api/cases/${caseId}/close)`);
  const existing = await deps.records.caseFileOfCase(caseId);
  if (existing) throw new RequestError('conflict', `case ${caseId} was filed already: case file ${existing.id} of ${existing.filedAt.toISOString()}`);
  const items = await deps.items.ofCase(caseId);
  if (items.length === 0) throw new RequestError('conflict', `case ${caseId} has no recordings tagged with it; nothing to file (tag its recordings first)`);

  const entries: CaseFileEntry[] = [];
  for (const item of items) {
    const manifest = await deps.store.stat(item.objects.manifest);
    if (!manifest) throw new Error(`manifest ${item.objects.manifest} of ${item.id} is missing from the bucket; run "evidock verify"`);
    entries.push({
      id: item.id, sha256: item.sha256, size: item.size, kind: item.kind, capturedAt: item.capturedAt.toISOString(),
      officerId: item.officerId, category: item.category, phase: item.phase, checklistRow: item.checklistRow,
      original: { key: item.objects.original, versionId: item.objects.originalVersion },
      manifest: { key: manifest.key, versionId: manifest.versionId, sha256: await sha256Of(deps.store, manifest.key, manifest.versionId) },
    });
  }
  const now = deps.clock.now();
  const file = { id: ulid(), caseId, caseEndedAt: closure.endedAt, dueAt: caseFileDue(closure.endedAt), filedAt: now, filedBy: actor };
  const body = Buffer.from(`${JSON.stringify(caseFileManifest(file, entries), null, 2)}\n`);
  const stored = await deps.store.put(caseFileKey(file.id), body, { contentType: 'application/json' });
  await deps.locks.lockObject(stored, actor);
  await deps.locks.fileInCaseFile(entries.map((e) => e.id), file.id, actor);
  const record = { ...file, itemCount: entries.length, manifest: stored, manifestSha256: createHash('sha256').update(body).digest('hex') };
  if (!(await deps.records.addCaseFile(record))) throw new RequestError('conflict', `case ${caseId} was filed by someone else just now`);
  return { ...record, archivedAt: null, archivedBy: null };
}

/** Archives (closes) a case file: the holds on the recordings it froze are lifted (an item another open case holds stays held). */
export async function archiveCaseFile(deps: CaseFileDeps, caseFileId: string, actor: string, reason: string | null) {
  const file = await deps.records.caseFile(caseFileId);
  if (!file) throw new RequestError('not-found', `no case file ${caseFileId}`, 'id');
  if (file.archivedAt) throw new RequestError('conflict', `case file ${caseFileId} was archived already on ${file.archivedAt.toISOString()} by ${file.archivedBy}`);
  // Only the recordings the case file froze: one tagged into the case after filing keeps its hold.
  const frozen = JSON.parse(Buffer.concat(await (await deps.store.read(file.manifest.key, file.manifest.versionId)).toArray()).toString('utf8')) as { items: Array<{ id: string }> };
  const holds = await deps.locks.liftCaseHold(file.caseId, frozen.items.map((i) => i.id), actor, reason ?? `case file ${caseFileId} archived`);
  await deps.records.archiveCaseFile(caseFileId, deps.clock.now(), actor, reason);
  return { file: (await deps.records.caseFile(caseFileId))!, holds };
}
