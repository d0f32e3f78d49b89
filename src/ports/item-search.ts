import type { EvidenceItem } from '../domain/evidence.ts';
import type { Level } from '../domain/permissions.ts';
import type { SearchQuery } from '../domain/search.ts';

/** A recording as the API lists it: the catalog's item, its current tags' sources, and its confidentiality. */
export interface ItemRow extends EvidenceItem {
  checklistRow: string | null;
  unit: string | null;
  tagSource: string;
  confidentiality: Level;
}

export interface ConfidentialityChange {
  itemId: string;
  previous: Level;
  level: Level;
  at: Date;
  actor: string;
  reason: string;
}

/** Searches for archivists (PostgreSQL), and each recording's confidentiality, changed by appending. */
export interface ItemSearch {
  /** One page: `limit` rows at most, and whether more follow. */
  search(query: SearchQuery): Promise<{ rows: ItemRow[]; more: boolean }>;
  item(id: string): Promise<ItemRow | null>;
  /** Every recording tagged with this case, in capture order (case files). */
  ofCase(caseId: string): Promise<ItemRow[]>;
  /** Items among these ids that exist, with their confidentiality. */
  items(ids: string[]): Promise<ItemRow[]>;
  /** Appends the change (its `previous` read under a row lock) and sets the item's level, in one transaction; null for an unknown item. */
  setConfidentiality(change: Omit<ConfidentialityChange, 'previous'>): Promise<ConfidentialityChange | null>;
  confidentialityHistory(itemId: string): Promise<ConfidentialityChange[]>;
}
