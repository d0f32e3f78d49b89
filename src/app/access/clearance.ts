import type { Role } from '../../domain/people.ts';
import { type Action, can, canSee } from '../../domain/permissions.ts';
import type { ItemRow, ItemSearch } from '../../ports/item-search.ts';
import { RequestError } from '../request-error.ts';

/** Who uses something now: their role as it is now decides, not as it was when a request or link was made. */
export interface Holder {
  id: string;
  role: Role;
}

/** The answer for a recording the holder may not read: the same as for one that does not exist. */
export function noRecording(ids: string[], field: string): RequestError {
  return new RequestError('not-found', `no recording ${ids.join(', ')}`, field);
}

/**
 * The recordings, each checked at its CURRENT level against the holder's clearance (a reclassification
 * since the request was made counts). Unknown and too-secret ids are refused alike, so a refusal says
 * nothing about whether a recording exists or how it is classified.
 */
export async function itemsWithinClearance(items: Pick<ItemSearch, 'items'>, holder: Holder, ids: string[], field: string): Promise<ItemRow[]> {
  const unique = [...new Set(ids)];
  const found = await items.items(unique);
  const hidden = unique.filter((id) => !found.some((i) => i.id === id && canSee(holder.role, i.confidentiality)));
  if (hidden.length > 0) throw noRecording(hidden, field);
  return found;
}

/** Only the ids of those recordings the role may read (for views that list recordings). */
export async function visibleIds(items: Pick<ItemSearch, 'items'>, role: Role, ids: Iterable<string>): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  return new Set((await items.items(unique)).filter((i) => canSee(role, i.confidentiality)).map((i) => i.id));
}

/** Whether a holder's role still allows an action (a link outlives a role change otherwise). */
export function stillAllowed(holder: Holder | null, action: Action): holder is Holder {
  return holder !== null && can(holder.role, action);
}
