import { type ChainBreak, type ChainedEntry, type ChainHead, checkChain, EMPTY_HEAD, type Seal } from '../../domain/audit-chain.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { LogReader } from '../../ports/audit-log.ts';
import type { VerifySubjects } from '../../ports/integrity-catalog.ts';
import type { LockRecords } from '../../ports/lock-records.ts';
import type { ObjectListing, ObjectLock } from '../../ports/object-lock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { hashOf } from '../hashing.ts';
import { lockProblems } from './lock-check.ts';
import { readSeals, type StoredSeal } from './seals.ts';

export interface VerifyDeps {
  store: ObjectStore;
  objects: ObjectLock & ObjectListing;
  logReader: LogReader;
  subjects: VerifySubjects;
  /** The catalog's record of locks and holds: what each object's lock must be. */
  lockRecords: LockRecords;
}

export type Mismatch =
  | { kind: 'original' | 'manifest'; itemId: string; key: string; problem: string }
  | { kind: 'audit-log'; seq: number | null; problem: string };

export interface VerifyReport {
  ok: boolean;
  items: { checked: number; total: number; bytes: number; seconds: number };
  chain: { chainId: string; entries: number; head: ChainHead; seals: number; lastSealedSeq: number | null; otherChains: string[] };
  mismatches: Mismatch[];
}

export interface VerifyOptions {
  /** Check this many random items; absent: all. */
  sample?: number;
  /** Items checked at once (default 1: measured fastest against a single MinIO on 2 cores; a cluster may want more). */
  concurrency?: number;
  /**
   * Report the unsealed tail of the log when its oldest entry is older than this (two seal intervals:
   * sealing stopped, or seals were removed); absent: not checked.
   */
  unsealedTailLimitMs?: number;
  /** Now, for the unsealed-tail check (default: the system clock). */
  now?: Date;
  /** Called after each item with the bytes and items done so far, and the totals. */
  onProgress?: (done: { items: number; bytes: number }, total: { items: number; bytes: number }) => void;
}

const PAGE = 500;
const LOG_PAGE = 5000;

async function readText(store: ObjectStore, key: string, versionId: string | null): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key, versionId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The manifest fields that never change after securing (tags and capture time may be corrected later). */
function manifestDifferences(item: EvidenceItem, m: Record<string, any>): string[] {
  const expected: Array<[string, unknown, unknown]> = [
    ['id', m.id, item.id],
    ['sha256', m.sha256, item.sha256],
    ['size', m.size, item.size],
    ['kind', m.kind, item.kind],
    ['device.serial', m.device?.serial, item.deviceSerial],
    ['device.originalPath', m.device?.originalPath, item.originalPath],
    ['securedAt', m.securedAt, item.securedAt.toISOString()],
    ['sessionId', m.sessionId, item.sessionId],
    ['objects.original', m.objects?.original, item.objects.original],
    ['objects.originalVersion', m.objects?.originalVersion ?? null, item.objects.originalVersion],
  ];
  return expected.filter(([, got, want]) => got !== want).map(([field, got, want]) => `${field} is ${JSON.stringify(got)}, catalog says ${JSON.stringify(want)}`);
}

const lockDeps = (deps: VerifyDeps) => ({ lock: deps.objects, records: deps.lockRecords });

async function checkOriginal(deps: VerifyDeps, item: EvidenceItem, heldBy: string[]): Promise<string[]> {
  const { key, versionId } = { key: item.objects.original, versionId: item.objects.originalVersion };
  const problems: string[] = [];
  const latest = (await deps.objects.versions(key)).find((v) => v.isLatest);
  if (!latest) problems.push('no version of the original is in the bucket');
  else if (latest.isDeleteMarker) problems.push('the original is hidden by a delete marker (its recorded version is checked below)');
  else if (latest.versionId !== versionId) problems.push(`the original was overwritten: its current version is ${latest.versionId}, the catalog's is ${versionId}`);
  try {
    const stored = await hashOf(await deps.store.read(key, versionId));
    if (stored.sha256 !== item.sha256) problems.push(`content changed: SHA-256 is ${stored.sha256}, catalog says ${item.sha256}`);
    if (stored.size !== item.size) problems.push(`size is ${stored.size} bytes, catalog says ${item.size}`);
  } catch (error) {
    problems.push(`cannot be read: ${(error as Error).message}`);
  }
  problems.push(...(await lockProblems(lockDeps(deps), { key, versionId }, heldBy).catch((error: Error) => [`its lock cannot be read: ${error.message}`])));
  return problems;
}

async function checkManifest(deps: VerifyDeps, item: EvidenceItem, heldBy: string[]): Promise<string[]> {
  const key = item.objects.manifest;
  const current = await deps.store.stat(key);
  if (!current) return ['the manifest is missing'];
  const problems: string[] = [];
  const recorded = await deps.subjects.manifestVersion(item.id);
  if (recorded && current.versionId !== recorded) problems.push(`the manifest was overwritten: its current version is ${current.versionId}, the log recorded ${recorded}`);
  try {
    problems.push(...manifestDifferences(item, JSON.parse(await readText(deps.store, key, current.versionId))));
  } catch (error) {
    problems.push(`cannot be read as JSON: ${(error as Error).message}`);
  }
  problems.push(...(await lockProblems(lockDeps(deps), { key, versionId: current.versionId }, heldBy).catch((error: Error) => [`its lock cannot be read: ${error.message}`])));
  return problems;
}

/** Every item (or a sample) re-hashed and its manifest compared; `concurrency` items at a time. */
async function verifyItems(deps: VerifyDeps, options: VerifyOptions, mismatches: Mismatch[]) {
  const total = options.sample !== undefined ? { items: 0, bytes: 0 } : await deps.subjects.count();
  const done = { items: 0, bytes: 0 };
  const began = process.hrtime.bigint();
  const check = async (item: EvidenceItem) => {
    const heldBy = await deps.lockRecords.holding(item.id);
    for (const problem of await checkOriginal(deps, item, heldBy)) mismatches.push({ kind: 'original', itemId: item.id, key: item.objects.original, problem });
    for (const problem of await checkManifest(deps, item, heldBy)) mismatches.push({ kind: 'manifest', itemId: item.id, key: item.objects.manifest, problem });
    done.items += 1;
    done.bytes += item.size;
    options.onProgress?.(done, total);
  };
  const run = async (items: EvidenceItem[]) => {
    let next = 0;
    const lane = async () => {
      while (next < items.length) await check(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 1, items.length) }, lane));
  };
  if (options.sample !== undefined) {
    const items = await deps.subjects.sample(options.sample);
    Object.assign(total, { items: items.length, bytes: items.reduce((n, i) => n + i.size, 0) });
    await run(items);
  } else {
    for (let after = ''; ; ) {
      const page = await deps.subjects.page(after, PAGE);
      if (page.length === 0) break;
      await run(page);
      after = page.at(-1)!.id;
    }
  }
  return { checked: done.items, total: total.items, bytes: done.bytes, seconds: Number(process.hrtime.bigint() - began) / 1e9 };
}

/**
 * The seals of this chain against each other: each names the seal before it by entry and hash, so a removed
 * seal is a gap; seals are write-once, so a second version of one is a forgery.
 */
function sealLinkProblems(seals: StoredSeal[]): Mismatch[] {
  const problems: Mismatch[] = [];
  const bySeq = new Map(seals.map((s) => [s.seal.seq, s]));
  for (const [index, { seal, versions }] of seals.entries()) {
    if (versions > 1) problems.push({ kind: 'audit-log', seq: seal.seq, problem: `the seal of entry ${seal.seq} was written ${versions} times: seals are write-once, the later versions are not trusted` });
    // Absent: a seal written before seals were linked.
    if (seal.prev === undefined) continue;
    if (seal.prev === null) {
      if (index > 0) problems.push({ kind: 'audit-log', seq: seal.seq, problem: `the seal of entry ${seal.seq} names no seal before it, but the seal of entry ${seals[index - 1]!.seal.seq} precedes it` });
      continue;
    }
    const named = bySeq.get(seal.prev.seq);
    if (!named) problems.push({ kind: 'audit-log', seq: seal.prev.seq, problem: `the seal of entry ${seal.prev.seq} is missing: the seal of entry ${seal.seq} names it (a gap in the seals)` });
    else if (named.sha256 !== seal.prev.sha256) problems.push({ kind: 'audit-log', seq: seal.prev.seq, problem: `the seal of entry ${seal.prev.seq} is not the one the seal of entry ${seal.seq} names: it was replaced` });
  }
  return problems;
}

/**
 * The whole chain, entry by entry, and against every seal: an altered entry breaks its own hash, a
 * removed one the link after it, and a rewritten or truncated tail the sealed head hashes.
 */
async function verifyChain(deps: VerifyDeps, options: VerifyOptions, mismatches: Mismatch[]) {
  const chainId = await deps.logReader.chainId();
  const allSeals = await readSeals(deps);
  const stored: StoredSeal[] = allSeals.get(chainId) ?? [];
  const seals: Seal[] = stored.map((s) => s.seal);
  mismatches.push(...sealLinkProblems(stored));
  const sealAt = new Map(seals.map((s) => [s.seq, s]));
  const lastSealedSeq = seals.at(-1)?.seq ?? 0;
  let firstUnsealed: ChainedEntry | null = null;
  const acknowledged = new Set<string>();
  const breaks: ChainBreak[] = [];
  let head = EMPTY_HEAD;
  let entries = 0;
  for (;;) {
    const page = await deps.logReader.entries(head.seq, LOG_PAGE);
    if (page.length === 0) break;
    const checked = checkChain(head, page);
    breaks.push(...checked.breaks);
    for (const e of page) {
      const seal = sealAt.get(e.seq);
      if (seal && seal.hash !== e.hash) {
        mismatches.push({ kind: 'audit-log', seq: e.seq, problem: `entry ${e.seq} does not match the seal of ${seal.sealedAt}: the log up to it was altered or rewritten` });
      }
      if (!firstUnsealed && e.seq > lastSealedSeq) firstUnsealed = e;
      if (e.kind === 'audit' && e.type === 'reindex') for (const c of (e.details.previousChains as string[] | undefined) ?? []) acknowledged.add(c);
    }
    entries += page.length;
    head = checked.head;
  }
  for (const b of breaks) mismatches.push({ kind: 'audit-log', seq: b.seq, problem: b.detail });
  for (const seal of seals) {
    if (seal.seq > head.seq) {
      mismatches.push({ kind: 'audit-log', seq: seal.seq, problem: `the log ends at entry ${head.seq}, but entry ${seal.seq} was sealed on ${seal.sealedAt}: entries were removed` });
      break;
    }
  }
  const limit = options.unsealedTailLimitMs;
  if (limit !== undefined && firstUnsealed && (options.now ?? new Date()).getTime() - firstUnsealed.at.getTime() > limit) {
    mismatches.push({
      kind: 'audit-log', seq: firstUnsealed.seq,
      problem: `entries ${firstUnsealed.seq} to ${head.seq} are not sealed, the oldest since ${firstUnsealed.at.toISOString()} (more than two seal intervals): sealing stopped, or seals were removed`,
    });
  }
  const unchained = await deps.logReader.unchainedCount();
  if (unchained > 0) mismatches.push({ kind: 'audit-log', seq: null, problem: `${unchained} log rows have no place in the chain` });
  const otherChains = [...allSeals.keys()].filter((c) => c !== chainId);
  for (const other of otherChains.filter((c) => !acknowledged.has(c))) {
    const last = allSeals.get(other)!.at(-1)!.seal;
    mismatches.push({ kind: 'audit-log', seq: null, problem: `seals of another chain (${other}, up to entry ${last.seq}, ${last.sealedAt}) have no log here: the database was replaced without a reindex recording it` });
  }
  return { chainId, entries, head, seals: seals.length, lastSealedSeq: seals.at(-1)?.seq ?? null, otherChains };
}

/** `evidock verify`: stored originals against the catalog, manifests against their items, the audit chain against its seals. */
export async function verifyIntegrity(deps: VerifyDeps, options: VerifyOptions = {}): Promise<VerifyReport> {
  const mismatches: Mismatch[] = [];
  const items = await verifyItems(deps, options, mismatches);
  const chain = await verifyChain(deps, options, mismatches);
  return { ok: mismatches.length === 0, items, chain, mismatches };
}
