import { type Checklist, findRow, validPairs } from './checklist.ts';
import type { ActivityWindow } from './matching.ts';
import { parseIsoTime } from './zoned-time.ts';

/**
 * Enforcement activities as a case system exports them (CSV or JSON rows: case, category, phase, badge,
 * ISO 8601 window, place), checked row by row. Nothing is imported when a row is wrong: every problem is
 * reported with its row number so the file can be fixed and imported again.
 */
export interface ActivityRecord {
  /** The row number as the file's reader counts it: the line in a CSV file, the 1-based entry in JSON. */
  row: number;
  fields: Record<string, unknown>;
}

/** An activity about to be imported: the window as stored, with the text as written and its row. */
export interface NewActivity extends Omit<ActivityWindow, 'id'> {
  startsRaw: string;
  endsRaw: string;
  sourceRow: number;
}

export interface ActivityRules {
  checklist: Checklist;
  /** Zone of times written without an offset. */
  zone: string;
  maxWindowMs: number;
  /** Badges of people on record. */
  knownBadges: ReadonlySet<string>;
}

const aliases = {
  caseId: ['caseId', 'case_id', 'case'],
  category: ['category'],
  phase: ['phase'],
  badge: ['badge', 'officer', 'officerId', 'officer_id', 'officers'],
  start: ['start', 'startsAt', 'starts_at', 'from'],
  end: ['end', 'endsAt', 'ends_at', 'to'],
  place: ['place', 'location'],
} as const;

export const activityColumns = 'case_id, category, phase, badge, start, end, place';

function field(fields: Record<string, unknown>, name: keyof typeof aliases): unknown {
  for (const key of aliases[name]) if (fields[key] !== undefined && fields[key] !== '') return fields[key];
  return undefined;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Badges of a row: one, or several in a JSON list or separated by ";". */
function badgesOf(v: unknown): string[] {
  const list = Array.isArray(v) ? v.map(str) : (str(v) ?? '').split(';').map((b) => b.trim());
  return list.filter((b): b is string => !!b);
}

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 100) / 100} h`;

export function checkActivities(records: ActivityRecord[], rules: ActivityRules): { activities: NewActivity[]; errors: string[] } {
  const activities: NewActivity[] = [];
  const errors: string[] = [];
  for (const { row, fields } of records) {
    const problems: string[] = [];
    const caseId = str(field(fields, 'caseId'));
    const category = str(field(fields, 'category'));
    const phase = str(field(fields, 'phase'));
    const startsRaw = str(field(fields, 'start'));
    const endsRaw = str(field(fields, 'end'));
    const badges = badgesOf(field(fields, 'badge'));
    for (const [name, value] of [['case_id', caseId], ['category', category], ['phase', phase], ['start', startsRaw], ['end', endsRaw]] as const) {
      if (value === null) problems.push(`${name} is missing`);
    }
    if (badges.length === 0) problems.push('badge is missing');
    if (category && phase && !findRow(rules.checklist, category, phase)) {
      problems.push(`"${category}/${phase}" is not a category/phase pair of the recording checklist; valid pairs: ${validPairs(rules.checklist)}`);
    }
    for (const badge of badges) {
      if (!rules.knownBadges.has(badge)) problems.push(`badge "${badge}" is nobody on record; add them first with evidock people add ${badge}`);
    }
    const start = startsRaw ? parseIsoTime(startsRaw, rules.zone) : null;
    const end = endsRaw ? parseIsoTime(endsRaw, rules.zone) : null;
    if (startsRaw && !start) problems.push(`start "${startsRaw}" is not an ISO 8601 date-time (e.g. 2026-05-01T08:00:00+08:00)`);
    if (endsRaw && !end) problems.push(`end "${endsRaw}" is not an ISO 8601 date-time (e.g. 2026-05-01T12:00:00+08:00)`);
    if (start && end) {
      const length = end.at.getTime() - start.at.getTime();
      if (length <= 0) problems.push(`end ${endsRaw} is not after start ${startsRaw}`);
      else if (length > rules.maxWindowMs) problems.push(`window of ${hours(length)} is longer than the maximum ${hours(rules.maxWindowMs)} (tagging.maxActivityMs)`);
    }
    if (problems.length > 0) {
      errors.push(`row ${row}: ${problems.join('; ')}`);
      continue;
    }
    for (const officerId of badges) {
      activities.push({
        caseId: caseId!, category: category!, phase: phase!, officerId, startsAt: start!.at, endsAt: end!.at,
        startsRaw: startsRaw!, endsRaw: endsRaw!, place: str(field(fields, 'place')), sourceRow: row,
      });
    }
  }
  if (records.length === 0) errors.push(`no rows: expected columns ${activityColumns}`);
  return { activities, errors };
}
