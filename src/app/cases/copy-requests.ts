import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { ulid } from 'ulid';
import { type ChainedEntry, entryJson } from '../../domain/audit-chain.ts';
import { checkCopyTransition, copyStatus, type CopyAction } from '../../domain/copy-requests.ts';
import type { LogReader } from '../../ports/audit-log.ts';
import type { CaseRecords, CopyRequest } from '../../ports/case-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ItemRow, ItemSearch } from '../../ports/item-search.ts';
import type { ObjectStore, StoredObject } from '../../ports/object-store.ts';
import { RequestError } from '../request-error.ts';
import { type Holder, itemsWithinClearance } from '../access/clearance.ts';

export interface CopyDeps {
  records: CaseRecords;
  items: Pick<ItemSearch, 'items'>;
  store: Pick<ObjectStore, 'put'>;
  trail: Pick<LogReader, 'trail'>;
  clock: Clock;
}

/** One file of an export package, in the order it is written into the archive. */
export interface PackageEntry {
  name: string;
  object: StoredObject;
  size: number;
}

/**
 * The items of a request, checked at every step (create, approve, package) at their CURRENT level: each
 * must exist within the holder's clearance (else the same 404 as an unknown id), and none may be
 * `confidential` (state secrets are never copied for a party, B8), even if it became so after the request.
 */
export async function copyableItems(deps: Pick<CopyDeps, 'items'>, holder: Holder, itemIds: string[], step: 'create' | 'approve' | 'package'): Promise<ItemRow[]> {
  const found = await itemsWithinClearance(deps.items, holder, itemIds, 'itemIds');
  const secret = found.filter((i) => i.confidentiality === 'confidential');
  if (secret.length > 0) {
    const ids = secret.map((i) => i.id).join(', ');
    if (step === 'create') throw new RequestError('invalid', `recording ${ids} is confidential and cannot be copied for a party (regulation B8); leave it out`, 'itemIds');
    throw new RequestError('conflict', `recording ${ids} was classified confidential after this request was made; it cannot be copied for a party (regulation B8): refuse this request and ask for a new one without it`, 'itemIds');
  }
  return found;
}

export async function createCopyRequest(deps: CopyDeps, party: string, reason: string, itemIds: string[], holder: Holder): Promise<CopyRequest> {
  const items = await copyableItems(deps, holder, itemIds, 'create');
  const request = { id: ulid(), party, reason, itemIds: items.map((i) => i.id), createdAt: deps.clock.now(), createdBy: holder.id };
  await deps.records.addCopyRequest(request);
  return { ...request, events: [] };
}

async function knownRequest(deps: Pick<CopyDeps, 'records'>, id: string): Promise<CopyRequest> {
  const request = await deps.records.copyRequest(id);
  if (!request) throw new RequestError('not-found', `no copy request ${id}`, 'id');
  return request;
}

/**
 * The head's decision; only a pending request is decided, once. Whoever asked for the copy may not approve
 * it (separation of duties: B8 makes the approval a second person's check). An approval re-checks the
 * recordings' current levels; a refusal needs no clearance (it releases nothing).
 */
export async function decideCopyRequest(deps: CopyDeps, id: string, decision: Extract<CopyAction, 'approved' | 'refused'>, reason: string, holder: Holder): Promise<CopyRequest> {
  const request = await knownRequest(deps, id);
  if (decision === 'approved') {
    if (request.createdBy === holder.id) {
      throw new RequestError('forbidden', `you asked for copy request ${id}; another person must approve it (separation of duties, regulation B8)`);
    }
    await copyableItems(deps, holder, request.itemIds, 'approve');
  }
  try {
    await deps.records.addCopyEvent(id, { action: decision, at: deps.clock.now(), actor: holder.id, reason, details: {} }, (events) => checkCopyTransition(copyStatus(events), decision));
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('cannot ')) throw new RequestError('conflict', error.message);
    throw error;
  }
  return knownRequest(deps, id);
}

/**
 * One custody entry for the outside party: whole (every field its hash covers, so it can be recomputed), or,
 * when it is an audit entry that names recordings outside the package, only its place and hash: provable,
 * but what it says about other recordings (their ids, who read them, from where, why) is withheld.
 */
function custodyJson(packaged: ReadonlySet<string>) {
  return (e: ChainedEntry) => {
    const named = e.kind === 'audit' && Array.isArray(e.details.itemIds) ? (e.details.itemIds as string[]) : [];
    return named.some((id) => !packaged.has(id)) ? { seq: e.seq, hash: e.hash, withheld: 'names recordings outside this package' } : entryJson(e);
  };
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Builds the export package of an approved request: its manifest, the SHA-256 list and a custody extract
 * are written to MinIO under `exports/<request>/<package>/`; the originals are streamed from their stored
 * versions when the package is downloaded. Returns the package id and its entries.
 */
export async function packageCopyRequest(deps: CopyDeps, id: string, holder: Holder): Promise<{ packageId: string; entries: PackageEntry[] }> {
  const actor = holder.id;
  const request = await knownRequest(deps, id);
  try {
    checkCopyTransition(copyStatus(request.events), 'packaged');
  } catch (error) {
    throw new RequestError('conflict', (error as Error).message);
  }
  const items = await copyableItems(deps, holder, request.itemIds, 'package');
  const packageId = ulid();
  const prefix = `exports/${request.id}/${packageId}`;
  const originals = items.map((i) => ({
    name: `originals/${i.id}${extname(i.originalPath).toLowerCase().replace(/[^.a-z0-9]/g, '')}`,
    object: { key: i.objects.original, versionId: i.objects.originalVersion },
    size: i.size,
    item: i,
  }));
  const decision = request.events.find((e) => e.action === 'approved')!;
  const manifest = {
    packageVersion: 1, packageId, requestId: request.id, party: request.party, reason: request.reason,
    requestedBy: request.createdBy, requestedAt: request.createdAt.toISOString(),
    approvedBy: decision.actor, approvedAt: decision.at.toISOString(), approvalReason: decision.reason,
    packagedBy: actor, packagedAt: deps.clock.now().toISOString(),
    items: originals.map(({ name, item }) => ({
      file: name, id: item.id, sha256: item.sha256, size: item.size, kind: item.kind, capturedAt: item.capturedAt.toISOString(),
      deviceSerial: item.deviceSerial, originalPath: item.originalPath, officerId: item.officerId, caseId: item.caseId,
      category: item.category, phase: item.phase, confidentiality: item.confidentiality,
    })),
  };
  const custody: Record<string, unknown> = {};
  const packaged = new Set(items.map((i) => i.id));
  for (const item of items) custody[item.id] = (await deps.trail.trail({ itemId: item.id })).map(custodyJson(packaged));
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const custodyBytes = Buffer.from(`${JSON.stringify(custody, null, 2)}\n`);
  // Every file of the package but the list itself.
  const sums = [
    `${sha256Hex(manifestBytes)}  manifest.json\n`, `${sha256Hex(custodyBytes)}  custody.json\n`,
    ...originals.map(({ name, item }) => `${item.sha256}  ${name}\n`),
  ].join('');
  const small: Array<[string, Buffer, string]> = [
    ['manifest.json', manifestBytes, 'application/json'],
    ['SHA256SUMS', Buffer.from(sums), 'text/plain'],
    ['custody.json', custodyBytes, 'application/json'],
  ];
  const entries: PackageEntry[] = [];
  for (const [name, body, contentType] of small) {
    entries.push({ name, object: await deps.store.put(`${prefix}/${name}`, body, { contentType }), size: body.length });
  }
  entries.push(...originals.map(({ name, object, size }) => ({ name, object, size })));
  await deps.records.addCopyEvent(request.id, { action: 'packaged', at: deps.clock.now(), actor, reason: null, details: { packageId, entries } }, (events) =>
    checkCopyTransition(copyStatus(events), 'packaged'),
  );
  return { packageId, entries };
}
