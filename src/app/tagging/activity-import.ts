import { createHash } from 'node:crypto';
import { custodyEvent } from '../../domain/custody.ts';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TaggingConfig } from '../../config/tagging-schema.ts';
import { type ActivityRecord, activityColumns, checkActivities } from '../../domain/activities.ts';
import type { Checklist } from '../../domain/checklist.ts';
import type { Act, Registry } from '../../ports/registry.ts';
import type { TagStore } from '../../ports/tag-store.ts';
import type { TagOutcome, Tagging } from './tagging.ts';

export interface ImportDeps {
  registry: Pick<Registry, 'people'>;
  tags: Pick<TagStore, 'recordImport'>;
  tagging: Pick<Tagging, 'rematchForActivities'>;
  checklist: Checklist;
  settings: TaggingConfig;
}

export interface ImportResult {
  importId: number;
  rows: number;
  activities: number;
  added: number;
  retagged: TagOutcome[];
}

/** The rows of a CSV (header line; row = line number) or JSON (a list, or {activities: [...]}; row = 1-based entry) export. */
export function decodeActivityFile(name: string, text: string): ActivityRecord[] {
  const ext = extname(name).toLowerCase();
  if (ext === '.csv') {
    const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    return rows.map(({ record, info }) => ({ row: info.lines, fields: record }));
  }
  if (ext === '.json') {
    const data = JSON.parse(text) as unknown;
    const list = Array.isArray(data) ? data : (data as { activities?: unknown })?.activities;
    if (!Array.isArray(list)) throw new Error(`${name}: expected a JSON list of activities (or {"activities": [...]}) with ${activityColumns}`);
    return list.map((fields, i) => ({ row: i + 1, fields: typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {} }));
  }
  throw new Error(`${name}: use a .csv or .json file (columns ${activityColumns})`);
}

/**
 * Imports a CAD export of enforcement activities: all rows are checked first and a single bad row refuses
 * the file (listing every bad row), so nothing is half-imported; rows imported before are not added
 * twice. Recordings the new windows concern are then matched again.
 */
export async function importActivities(deps: ImportDeps, file: { name: string; text: string }, act: Act): Promise<ImportResult> {
  const records = decodeActivityFile(file.name, file.text);
  const knownBadges = new Set((await deps.registry.people()).map((p) => p.id));
  const { activities, errors } = checkActivities(records, {
    checklist: deps.checklist, zone: deps.settings.activityTimeZone, maxWindowMs: deps.settings.maxActivityMs, knownBadges,
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, 50).join('\n  ');
    const more = errors.length > 50 ? `\n  … and ${errors.length - 50} more` : '';
    throw new Error(`${basename(file.name)}: ${errors.length} row(s) refused, nothing imported; fix them and import the file again:\n  ${shown}${more}`);
  }
  const sha256 = createHash('sha256').update(file.text).digest('hex');
  const { importId, added } = await deps.tags.recordImport({ name: basename(file.name), sha256, rows: records.length }, activities, act, (importId, added) =>
    custodyEvent('activities-imported', act.at, act.actor, {}, { importId, file: basename(file.name), sha256, rows: records.length, activities: activities.length, added, reason: act.reason }));
  // Every window of the file, not only the new ones: importing a file again also repairs what a failed run left.
  const retagged = await deps.tagging.rematchForActivities(activities, { ...act, reason: act.reason ?? `activities imported (import ${importId})` });
  return { importId, rows: records.length, activities: activities.length, added, retagged };
}
