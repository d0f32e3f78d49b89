import type { ChainedEntry, ChainHead } from '../domain/audit-chain.ts';

/** Who read or changed what, from where, why, and how it ended: one entry in the chained log. */
export interface AuditEvent {
  /** A person's badge, a login name (CLI), or a host for automatic acts. */
  actor: string;
  /** What was done: `query`, `verify`, `reindex`, `trail-export`, `download`, `tag`, ... */
  action: string;
  /** What it was done to: `item:<id>`, `person:<badge>`, `case:<id>`, `catalog`, or a query's filters. */
  target: string;
  reason: string | null;
  result: 'ok' | 'refused' | 'failed';
  /** Where the request came from: `cli@<host>`, or the API client's address. */
  from: string;
  /** Evidence items the act read or changed (a query's results), so they show in each item's trail. */
  itemIds?: string[];
  details?: Record<string, unknown>;
}

/** Audit events into the same append-only chain as custody events (CLI now, the HTTP API later). */
export interface AuditLog {
  append(event: AuditEvent, at?: Date): Promise<void>;
}

/** Read side of the chained log: for verify, seals and trail exports. */
export interface LogReader {
  /** This database's chain id (seals are filed under it). */
  chainId(): Promise<string>;
  head(): Promise<ChainHead>;
  /** Entries after `afterSeq`, in chain order, at most `limit`. */
  entries(afterSeq: number, limit: number): Promise<ChainedEntry[]>;
  /** Chained entries recorded at or after `since` and before `until`, in chain order, at most `limit`. */
  entriesBetween(since: Date, until: Date, limit: number): Promise<ChainedEntry[]>;
  /** Rows that carry no place in the chain (must be none). */
  unchainedCount(): Promise<number>;
  /**
   * An item's trail (its custody events and the audit events that touched it), or a person's
   * (what they did, and what happened to the recordings of which they are the officer).
   */
  trail(subject: { itemId: string } | { person: string }): Promise<ChainedEntry[]>;
}
