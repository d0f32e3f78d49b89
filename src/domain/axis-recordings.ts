import { posix } from 'node:path';
import type { DeviceSays, ParseContext, Sidecar, VendorParser } from './vendor-parser.ts';

/**
 * Axis body-worn recordings as an Axis content destination stores them on disk (the open body-worn
 * integration API; its example destination writes Swift metadata as flat JSON files):
 *
 *   <root>/Users/Users.<UserUUID>.metadata.json              { "Userid": officer's own ID (optional), "Name", "Active" }
 *   <root>/<UserUUID>_<BWCSerialNumber>_<TriggerOnTime>/     one folder (container) per recording
 *     <container>.metadata.json                              { "Bwcserialnumber", "Userid" (the UUID), "Triggerontimeiso", "Starttimeiso", "Status", … }
 *     <StartTime>_<RecordingID>.mkv|mp4                      clips, with <container>.<clip>.metadata.json { "Starttimeiso", … }
 *     bookmark_<ts>_<ID>                                     the officer's note, with <container>.<bookmark>.metadata.json { "Categoryid", … }
 *
 * Keys are as Go's HTTP headers normalise them (`X-Container-Meta-BWCSerialNumber` → `Bwcserialnumber`).
 * Categories come only on bookmarks. Times are UTC.
 */

const FOLDER = /^([^_/]+)_([^_/]+)_(\d{8}T\d{6}Z|\d{8}_\d{6}|\d{10}|\d{13})$/;
const CLIP_TIME = /^(\d{8})_(\d{6})_[A-Za-z0-9]+$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})[T_](\d{2})(\d{2})(\d{2})Z?$/;

type Meta = Record<string, unknown>;

const text = (meta: Meta | null, key: string): string | null => {
  const value = meta?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
};

/** An Axis time: RFC 3339, `YYYYMMDDTHHMMSSZ`, `YYYYMMDD_HHMMSS` (UTC) or epoch seconds/ms. */
function axisTime(value: string | null): Pick<DeviceSays, 'capturedAt' | 'capturedLocal' | 'utcOffsetMinutes'> | null {
  if (value === null) return null;
  const compact = COMPACT.exec(value);
  const at = compact
    ? new Date(Date.UTC(Number(compact[1]), Number(compact[2]) - 1, Number(compact[3]), Number(compact[4]), Number(compact[5]), Number(compact[6])))
    : /^\d{10}$/.test(value) ? new Date(Number(value) * 1000)
    : /^\d{13}$/.test(value) ? new Date(Number(value))
    : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value)
    : null;
  return at && !Number.isNaN(at.getTime()) ? { capturedAt: at, capturedLocal: value, utcOffsetMinutes: 0 } : null;
}

interface Layout {
  folder: string;
  container: string;
  userUuid: string;
  serial: string;
  triggerOn: string;
}

function layoutOf(relPath: string): Layout | null {
  const folder = posix.dirname(relPath);
  const container = posix.basename(folder);
  const m = FOLDER.exec(container);
  return m ? { folder, container, userUuid: m[1]!, serial: m[2]!, triggerOn: m[3]! } : null;
}

const userPath = (layout: Layout) => posix.join(posix.dirname(layout.folder), 'Users', `Users.${layout.userUuid}.metadata.json`);
const ownPath = (layout: Layout, object: string | null) => posix.join(layout.folder, object === null ? `${layout.container}.metadata.json` : `${layout.container}.${object}.metadata.json`);

const contentOf = (sidecars: Sidecar[], path: string): Meta | null => {
  const found = sidecars.find((s) => s.path === path && s.error === null && typeof s.content === 'object' && s.content !== null);
  return (found?.content as Meta | undefined) ?? null;
};

export const axis: VendorParser = {
  name: 'axis',
  sidecarPaths(relPath, siblings) {
    const layout = layoutOf(relPath);
    if (!layout) return [];
    const bookmarkPrefix = `${layout.container}.bookmark_`;
    const bookmarks = siblings.filter((name) => name.startsWith(bookmarkPrefix) && name.endsWith('.metadata.json')).sort();
    return [ownPath(layout, null), ownPath(layout, posix.basename(relPath)), userPath(layout), ...bookmarks.map((name) => posix.join(layout.folder, name))];
  },
  parse(relPath, sidecars, context: ParseContext) {
    const layout = layoutOf(relPath);
    if (!layout) return null;
    const recording = contentOf(sidecars, ownPath(layout, null));
    const clip = contentOf(sidecars, ownPath(layout, posix.basename(relPath)));
    const user = contentOf(sidecars, userPath(layout));
    const clipName = CLIP_TIME.exec(posix.basename(relPath, posix.extname(relPath)));
    const time = axisTime(text(clip, 'Starttimeiso')) ?? axisTime(clipName ? `${clipName[1]}_${clipName[2]}` : null)
      ?? axisTime(text(recording, 'Starttimeiso')) ?? axisTime(text(recording, 'Triggerontimeiso')) ?? axisTime(layout.triggerOn)
      ?? { capturedAt: null, capturedLocal: null, utcOffsetMinutes: null };
    const categories = sidecars.filter((s) => posix.basename(s.path).startsWith(`${layout.container}.bookmark_`)).map((s) => text(contentOf(sidecars, s.path), 'Categoryid'));
    const row = categories.map((id) => (id === null ? undefined : context.categoryRows[id])).find((r) => r !== undefined) ?? null;
    return {
      parser: 'axis',
      deviceId: text(recording, 'Bwcserialnumber') ?? layout.serial,
      // The officer's own ID when the destination stores it (StoreUserIDKey), else Axis's user UUID: a person can be registered with either.
      badge: text(user, 'Userid') ?? text(recording, 'Userid') ?? layout.userUuid,
      ...time,
      checklistRowId: row,
    };
  },
};

/** The Axis category → checklist row table refers only to rows that exist. */
export function checkCategoryRows(table: Record<string, string>, rowIds: string[]): void {
  const known = new Set(rowIds);
  const unknown = Object.entries(table).filter(([, row]) => !known.has(row));
  if (unknown.length > 0) {
    throw new Error(`tagging.axisCategories maps ${unknown.map(([c, r]) => `"${c}" to "${r}"`).join(', ')}, not a checklist row; use one of: ${[...known].join(', ')}`);
  }
}
