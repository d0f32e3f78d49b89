import type { Level } from './permissions.ts';

/**
 * An archivist's search over recordings: filters, a sort, and keyset pagination by an opaque cursor
 * (the last row's sort value and id), so page N costs what page 1 costs however deep it is.
 */
export interface SearchFilters {
  caseId?: string;
  officerId?: string;
  deviceSerial?: string;
  category?: string;
  phase?: string;
  unit?: string;
  /** Captured at or after. */
  since?: Date;
  /** Captured before. */
  until?: Date;
  sha256?: string;
  status?: string;
  /** Only recordings nothing has tagged yet (true), or only tagged ones (false). */
  untagged?: boolean;
}

export const sortKeys = ['capturedAt', '-capturedAt', 'securedAt', '-securedAt'] as const;
export type SortKey = (typeof sortKeys)[number];

/** Where the previous page ended. */
export interface Cursor {
  sort: SortKey;
  value: Date;
  id: string;
}

export interface SearchQuery {
  filters: SearchFilters;
  /** Confidentiality levels the caller may read: other recordings are not listed. */
  levels: Level[];
  sort: SortKey;
  after: Cursor | null;
  limit: number;
}

/** A page size as asked (or the default), kept within [1, max]: too large is clamped, not refused. */
export function clampPageSize(asked: number | undefined, defaultSize: number, max: number): number {
  if (asked === undefined) return Math.min(defaultSize, max);
  return Math.max(1, Math.min(Math.trunc(asked), max));
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value.toISOString(), cursor.id])).toString('base64url');
}

/** The cursor of a previous page; it must come from a search with the same sort. */
export function decodeCursor(raw: string, sort: SortKey): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) {
    throw new Error('not a cursor from this API; pass the "nextCursor" of the previous page unchanged');
  }
  const [cursorSort, value, id] = parsed as [string, string, string];
  if (cursorSort !== sort) throw new Error(`this cursor belongs to a search sorted by ${cursorSort}; keep the same sort while paging`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^[0-9A-Z]{26}$/.test(id)) throw new Error('not a cursor from this API; pass the "nextCursor" of the previous page unchanged');
  return { sort, value: date, id };
}
