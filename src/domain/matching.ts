import { type Checklist, type ChecklistRow, findRow, rowById, rowFor } from './checklist.ts';

/**
 * Tag matching: which case, category, phase, checklist row, unit and officer a recording carries, and
 * where each came from. Precedence: a person's explicit tag > an activity window > what the device says
 * > untagged. Plain functions over plain data; the caller loads what they look at.
 */
export type TagSource = 'manual' | 'activity' | 'device' | 'untagged';
export type OfficerSource = 'manual' | 'assignment' | 'file-name';

export interface TagState {
  caseId: string | null;
  category: string | null;
  phase: string | null;
  checklistRow: string | null;
  unit: string | null;
  tagSource: TagSource;
  officerId: string | null;
  officerSource: OfficerSource | null;
  /** A person set case/category/phase: matching leaves them until the pin is released. */
  pinned: boolean;
  /** A person set the officer. */
  officerPinned: boolean;
}

export const untaggedState: TagState = {
  caseId: null, category: null, phase: null, checklistRow: null, unit: null, tagSource: 'untagged',
  officerId: null, officerSource: null, pinned: false, officerPinned: false,
};

/** An enforcement activity: one officer's window on a case, in a checklist category and phase. */
export interface ActivityWindow {
  id: number;
  caseId: string;
  category: string;
  phase: string;
  officerId: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
}

/** A window a recording fell into, listed when there was more than one. */
export interface Candidate {
  activityId: number;
  caseId: string;
  category: string;
  phase: string;
  startsAt: string;
  endsAt: string;
}

/** What the device said, as far as matching uses it. */
export interface DeviceClaim {
  badge: string | null;
  /** Whether that badge is a person on record: an unknown badge names nobody. */
  badgeKnown: boolean;
  checklistRowId: string | null;
  /** The capture time the device names (its clock, in the configured zone), if it named one. */
  capturedAt: Date | null;
}

export interface MatchInput {
  /** When the recording was made, as matching reads it (see matchTime). */
  at: Date;
  /** The officer the device register assigns the device to at that time. */
  assignedOfficer: string | null;
  device: DeviceClaim | null;
  /** Activities of the officers involved around that time; others are ignored. */
  activities: ActivityWindow[];
  bufferMs: number;
  checklist: Checklist;
  previous: TagState;
}

export interface MatchResult {
  state: TagState;
  candidates: Candidate[];
  /** Why something could not be used (unknown badge, no officer, a device category not in the checklist). */
  notes: string[];
}

/**
 * The time matching uses: the device's own naming when a vendor parser read one (it is the recorder's
 * clock, placed in its zone), else the item's capture time.
 */
export function matchTime(capturedAt: Date, device: Pick<DeviceClaim, 'capturedAt'> | null): { at: Date; source: 'device-name' | 'item' } {
  return device?.capturedAt ? { at: device.capturedAt, source: 'device-name' } : { at: capturedAt, source: 'item' };
}

function resolveOfficer(input: MatchInput, notes: string[]): Pick<TagState, 'officerId' | 'officerSource'> {
  const { previous, assignedOfficer, device } = input;
  if (previous.officerPinned) return { officerId: previous.officerId, officerSource: 'manual' };
  if (assignedOfficer) return { officerId: assignedOfficer, officerSource: 'assignment' };
  if (device?.badge && device.badgeKnown) return { officerId: device.badge, officerSource: 'file-name' };
  if (device?.badge) notes.push(`the device names badge "${device.badge}", which is nobody on record`);
  notes.push('no officer: the device is assigned to nobody at that time');
  return { officerId: null, officerSource: null };
}

const tagsOf = (row: ChecklistRow, caseId: string | null, tagSource: TagSource) => ({
  caseId, category: row.category, phase: row.phase, checklistRow: row.id, unit: row.unit, tagSource,
});

const untaggedTags = { caseId: null, category: null, phase: null, checklistRow: null, unit: null, tagSource: 'untagged' as const };

/** The windows of this officer that hold the time, widened by the buffer on both sides (edges included). */
export function windowsAt(activities: ActivityWindow[], officerId: string, at: Date, bufferMs: number): ActivityWindow[] {
  const t = at.getTime();
  return activities.filter((a) => a.officerId === officerId && a.startsAt.getTime() - bufferMs <= t && t <= a.endsAt.getTime() + bufferMs);
}

export function decideTags(input: MatchInput): MatchResult {
  const notes: string[] = [];
  const officer = resolveOfficer(input, notes);
  const windows = officer.officerId ? windowsAt(input.activities, officer.officerId, input.at, input.bufferMs) : [];
  const candidates = windows.map((w) => ({
    activityId: w.id, caseId: w.caseId, category: w.category, phase: w.phase, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(),
  }));
  // Windows that agree on case, category and phase are one answer, not two.
  const answers = new Map(windows.map((w) => [`${w.caseId}\u0000${w.category}\u0000${w.phase}`, w]));
  const flags = { pinned: input.previous.pinned, officerPinned: input.previous.officerPinned };

  if (input.previous.pinned) {
    const { caseId, category, phase, checklistRow, unit } = input.previous;
    return { state: { caseId, category, phase, checklistRow, unit, tagSource: 'manual', ...officer, ...flags }, candidates: answers.size > 1 ? candidates : [], notes };
  }
  if (answers.size === 1) {
    const [w] = answers.values();
    const row = findRow(input.checklist, w!.category, w!.phase);
    if (row) return { state: { ...tagsOf(row, w!.caseId, 'activity'), ...officer, ...flags }, candidates: [], notes };
    notes.push(`activity ${w!.id} has ${w!.category}/${w!.phase}, which the checklist no longer has`);
  }
  if (answers.size > 1) notes.push(`${answers.size} activity windows hold this time; an archivist chooses`);
  const deviceRow = input.device?.checklistRowId ? rowById(input.checklist, input.device.checklistRowId) : null;
  if (input.device?.checklistRowId && !deviceRow) notes.push(`the device names category "${input.device.checklistRowId}", which is no checklist row`);
  const tags = deviceRow ? tagsOf(deviceRow, null, 'device') : untaggedTags;
  return { state: { ...tags, ...officer, ...flags }, candidates: answers.size > 1 ? candidates : [], notes };
}

/** A person's tag change: only the fields given change; category and phase must be a checklist pair. */
export interface ManualChange {
  caseId?: string;
  category?: string;
  phase?: string;
  officerId?: string;
}

export function applyManualTag(previous: TagState, change: ManualChange, checklist: Checklist): TagState {
  const next: TagState = { ...previous };
  const touchesTags = change.caseId !== undefined || change.category !== undefined || change.phase !== undefined;
  if (touchesTags) {
    const category = change.category ?? previous.category;
    const phase = change.phase ?? previous.phase;
    if ((category === null) !== (phase === null)) {
      throw new Error(`give both --category and --phase (the item has ${category ? `category ${category}` : `phase ${phase}`} only)`);
    }
    const row = category !== null && phase !== null ? rowFor(checklist, category, phase) : null;
    Object.assign(next, { caseId: change.caseId ?? previous.caseId, category, phase, checklistRow: row?.id ?? null, unit: row?.unit ?? null, tagSource: 'manual', pinned: true });
  }
  if (change.officerId !== undefined) Object.assign(next, { officerId: change.officerId, officerSource: 'manual', officerPinned: true });
  return next;
}

/** Hands an item back to matching: the person's pins are dropped (matching then runs again). */
export function releasePins(previous: TagState): TagState {
  return { ...previous, pinned: false, officerPinned: false };
}

export function sameTags(a: TagState, b: TagState): boolean {
  return (Object.keys(untaggedState) as Array<keyof TagState>).every((k) => a[k] === b[k]);
}

/** The S3 object tags of the original: case, officer, category, phase (a tag that is not known is left out). */
export function objectTags(state: TagState): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of [['case', state.caseId], ['officer', state.officerId], ['category', state.category], ['phase', state.phase]] as const) {
    if (value !== null) tags[key] = value;
  }
  return tags;
}
