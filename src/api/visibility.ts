import { visibleIds } from '../app/access/clearance.ts';
import type { ChainedEntry } from '../domain/audit-chain.ts';
import type { Role } from '../domain/people.ts';
import type { ItemSearch } from '../ports/item-search.ts';

/** The recordings a log entry is about: its item, the items an audit event lists, or its `item:` target. */
function itemsOfEntry(e: ChainedEntry): string[] {
  const ids = e.itemId ? [e.itemId] : [];
  const listed = e.details.itemIds;
  if (Array.isArray(listed)) ids.push(...listed.filter((id): id is string => typeof id === 'string'));
  const target = e.details.target;
  if (typeof target === 'string' && target.startsWith('item:')) ids.push(target.slice(5).split('/')[0]!);
  return ids;
}

/**
 * A trail as a role may read it: an entry about any recording above the role's clearance is left out
 * whole (its keys, hashes and reasons would tell of the recording).
 */
export async function visibleTrail(items: Pick<ItemSearch, 'items'>, role: Role, entries: ChainedEntry[]): Promise<ChainedEntry[]> {
  const visible = await visibleIds(items, role, entries.flatMap(itemsOfEntry));
  return entries.filter((e) => itemsOfEntry(e).every((id) => visible.has(id)));
}

/** Alerts keep their subject (a session, a case) but list only the recordings the role may read. */
export async function visibleAlertItems<A extends { details: Record<string, unknown> }>(items: Pick<ItemSearch, 'items'>, role: Role, alerts: A[]): Promise<A[]> {
  const listed = (a: A) => (Array.isArray(a.details.itemIds) ? (a.details.itemIds as string[]) : []);
  const visible = await visibleIds(items, role, alerts.flatMap(listed));
  return alerts.map((a) => (Array.isArray(a.details.itemIds) ? { ...a, details: { ...a.details, itemIds: listed(a).filter((id) => visible.has(id)) } } : a));
}
