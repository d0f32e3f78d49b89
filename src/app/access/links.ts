import { canSee } from '../../domain/permissions.ts';
import type { CaseRecords } from '../../ports/case-records.ts';
import type { Credentials } from '../../ports/credentials.ts';
import type { ItemSearch } from '../../ports/item-search.ts';
import type { Link, Links } from '../../ports/links.ts';
import { copyableItems } from '../cases/copy-requests.ts';
import { RequestError } from '../request-error.ts';
import { stillAllowed } from './clearance.ts';

export interface LinkDeps {
  links: Links;
  credentials: Pick<Credentials, 'activePerson'>;
  items: Pick<ItemSearch, 'items'>;
  records: Pick<CaseRecords, 'copyRequest' | 'copyRequests'>;
}

/**
 * Whether a link may be redeemed now: the person it was issued to is still enabled, their role still
 * allows the act, and what it names is within their clearance at its CURRENT level (an export never
 * carries a confidential recording). Checked at every use, not only when the link was made.
 */
export async function linkHolds(deps: LinkDeps, link: Link): Promise<boolean> {
  const holder = await deps.credentials.activePerson(link.createdBy);
  const [subject] = link.subject.split('/') as [string];
  if (link.purpose === 'media') {
    if (!stillAllowed(holder, 'items:play')) return false;
    const [item] = await deps.items.items([subject]);
    return item !== undefined && canSee(holder.role, item.confidentiality);
  }
  if (!stillAllowed(holder, 'copies:export')) return false;
  const copy = await deps.records.copyRequest(subject);
  if (!copy) return false;
  try {
    await copyableItems(deps, holder, copy.itemIds, 'package');
    return true;
  } catch (error) {
    if (error instanceof RequestError) return false;
    throw error;
  }
}

/**
 * After a recording is reclassified: revokes its playback links and the export links of copy requests
 * naming it that no longer hold. Revoked stays revoked if the level is lowered again. Returns how many.
 */
export async function revokeLinksOf(deps: LinkDeps, itemId: string, now: Date): Promise<number> {
  const copies = (await deps.records.copyRequests()).filter((r) => r.itemIds.includes(itemId));
  const live = [
    ...(await deps.links.liveLinks('media', [`${itemId}/`], now)),
    ...(await deps.links.liveLinks('export', copies.map((c) => `${c.id}/`), now)),
  ];
  let revoked = 0;
  for (const link of live) {
    if (await linkHolds(deps, link)) continue;
    await deps.links.revokeLink(link.tokenSha256, now, `recording ${itemId} was reclassified above what the link's holder may receive`);
    revoked += 1;
  }
  return revoked;
}
