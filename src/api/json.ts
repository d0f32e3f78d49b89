import { itemJson } from '../app/contracts.ts';
import type { ItemRow } from '../ports/item-search.ts';

/**
 * JSON shapes of the API's answers (contracts, docs/api.md: fields are added, never renamed). A recording
 * is `evidock query --json`'s item plus its tag sources, confidentiality and links.
 */
export function itemApiJson(row: ItemRow) {
  return {
    ...itemJson(row),
    checklistRow: row.checklistRow,
    unit: row.unit,
    tagSource: row.tagSource,
    confidentiality: row.confidentiality,
    links: { detail: `/api/items/${row.id}`, thumbnail: `/api/items/${row.id}/thumbnail` },
  };
}

/** A log entry over the API: the one serialization (every field its hash covers, and the hash). */
export { entryJson as trailEntryJson } from '../domain/audit-chain.ts';

/** JSON-schema pieces shared by the routes (they validate requests and describe them in /openapi.json). */
export const schemas = {
  itemId: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'evidence item id (ULID)' },
  reason: { type: 'string', minLength: 3, maxLength: 2000, description: 'why: recorded in the audit log' },
  badge: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,64}$' },
  code: { type: 'string', minLength: 1, maxLength: 200 },
  dateTime: { type: 'string', format: 'date-time' },
} as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: schemas.itemId } } as const;
