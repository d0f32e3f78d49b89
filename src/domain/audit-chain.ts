import { createHash } from 'node:crypto';
import type { CustodyEvent } from './custody.ts';

/**
 * The one append-only log: custody events (what happened to evidence) and audit events (who read or
 * changed what, through the CLI or the API), in one hash chain. Each entry's hash covers the previous
 * entry's hash and a canonical serialization of the entry, so removing or altering any entry breaks
 * every hash after it; sealing the head elsewhere (MinIO) makes rewriting the whole tail detectable.
 */
export type LogKind = 'custody' | 'audit';

/** A custody event's fields, plus which kind of event it is; an audit event's `type` is its action. */
export interface LogEntry extends Omit<CustodyEvent, 'type'> {
  kind: LogKind;
  /** A custody event type, or an audit action (`query`, `verify`, `download`, ...). */
  type: string;
}

export interface ChainedEntry extends LogEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/**
 * JSON with object keys sorted at every level (arrays keep their order), after JSON's own conversion
 * (Dates become ISO strings, undefined disappears): the same value always gives the same text, and the
 * value read back from PostgreSQL's jsonb gives the text it was hashed with.
 */
export function canonicalJson(value: unknown): string {
  const normal = value === undefined ? null : JSON.parse(JSON.stringify(value));
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return walk(normal);
}

/** What an entry's hash covers, as plain JSON: its place in the chain, the hash before it, and every field. */
export function hashedFields(seq: number, prevHash: string, e: LogEntry) {
  return {
    seq, prevHash, kind: e.kind, type: e.type, at: e.at.toISOString(), actor: e.actor,
    itemId: e.itemId, sessionId: e.sessionId, deviceSerial: e.deviceSerial, filePath: e.filePath, details: e.details,
  };
}

/**
 * The one serialization of a stored entry (trail exports, export packages): every field its hash covers,
 * and the hash, so anyone can recompute it (SHA-256 of the canonical JSON of all fields but `hash`).
 */
export function entryJson(e: ChainedEntry) {
  return { ...hashedFields(e.seq, e.prevHash, e), hash: e.hash };
}

export function entryBody(seq: number, prevHash: string, e: LogEntry): string {
  return canonicalJson(hashedFields(seq, prevHash, e));
}

export function entryHash(seq: number, prevHash: string, e: LogEntry): string {
  return createHash('sha256').update(entryBody(seq, prevHash, e)).digest('hex');
}

/** Links new entries after `head`, in order. */
export function chainEntries(head: ChainHead, entries: LogEntry[]): ChainedEntry[] {
  let { seq, hash } = head;
  return entries.map((e) => {
    seq += 1;
    const chained = { ...e, seq, prevHash: hash, hash: entryHash(seq, hash, e) };
    hash = chained.hash;
    return chained;
  });
}

export type ChainBreak =
  | { seq: number; problem: 'gap'; detail: string }
  | { seq: number; problem: 'prev-mismatch'; detail: string }
  | { seq: number; problem: 'hash-mismatch'; detail: string };

/**
 * Walks stored entries in order from `from` (the head before the first of them) and returns where the
 * chain breaks, and the head it reaches. A page at a time: pass the returned head to the next call.
 */
export function checkChain(from: ChainHead, entries: ChainedEntry[]): { head: ChainHead; breaks: ChainBreak[] } {
  const breaks: ChainBreak[] = [];
  let head = from;
  for (const e of entries) {
    if (e.seq !== head.seq + 1) {
      breaks.push({ seq: e.seq, problem: 'gap', detail: `entry ${e.seq} follows entry ${head.seq}: ${e.seq - head.seq - 1} entries missing` });
    }
    if (e.prevHash !== head.hash) {
      breaks.push({ seq: e.seq, problem: 'prev-mismatch', detail: `entry ${e.seq} names ${e.prevHash.slice(0, 12)}… as the hash before it, but entry ${head.seq} hashes to ${head.hash.slice(0, 12)}…` });
    }
    const recomputed = entryHash(e.seq, e.prevHash, e);
    if (recomputed !== e.hash) {
      breaks.push({ seq: e.seq, problem: 'hash-mismatch', detail: `entry ${e.seq} (${e.kind} ${e.type}) was altered: its content hashes to ${recomputed.slice(0, 12)}…, stored hash ${e.hash.slice(0, 12)}…` });
    }
    // Continue from what is stored, so one altered entry is reported once, not as a cascade.
    head = { seq: e.seq, hash: e.hash };
  }
  return { head, breaks };
}

/** A seal as named by the next one: its entry and the SHA-256 of its stored bytes. */
export interface SealLink {
  seq: number;
  sha256: string;
}

/** A sealed chain head, as kept in MinIO. */
export interface Seal {
  chainId: string;
  seq: number;
  hash: string;
  sealedAt: string;
  sealedBy: string;
  /** The seal before this one in its chain (null: the first); absent on seals written before seals were linked. */
  prev?: SealLink | null;
}

/** Object key of a seal: sorted by sequence number within its chain. */
export function sealKey(chainId: string, seq: number): string {
  return `audit/seals/${chainId}/${String(seq).padStart(16, '0')}.json`;
}
