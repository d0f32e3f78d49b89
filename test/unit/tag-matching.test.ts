import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedChecklist } from '../../src/config/checklist-file.ts';
import { parseChecklist } from '../../src/domain/checklist.ts';
import { caseReport } from '../../src/domain/compliance.ts';
import {
  type ActivityWindow, applyManualTag, decideTags, type DeviceClaim, matchTime, objectTags, releasePins, type TagState, untaggedState,
} from '../../src/domain/matching.ts';
import { cnRecorder } from '../../src/domain/vendor-names.ts';

const checklist = parseChecklist(JSON.parse(readFileSync(shippedChecklist, 'utf8')));
const MIN = 60_000;
const BUFFER = 5 * MIN;

let nextId = 1;
function activity(officerId: string, caseId: string, pair: string, start: string, end: string): ActivityWindow {
  const [category, phase] = pair.split('/') as [string, string];
  return { id: nextId++, caseId, category, phase, officerId, startsAt: new Date(start), endsAt: new Date(end), place: null };
}

/** The officer a device register gives at a time: the latest assignment starting at or before it (as the catalog does). */
function assignedAt(assignments: Array<[string, string | null]>, at: Date): string | null {
  return assignments.filter(([from]) => new Date(from) <= at).at(-1)?.[1] ?? null;
}

/** A recording of a cn-recorder file name: what the device says, read in a zone. */
function fromFileName(name: string, zone: string, known: string[]): DeviceClaim {
  const says = cnRecorder.parse(name, [], { deviceZone: zone, categoryRows: {} })!;
  return { badge: says.badge, badgeKnown: says.badge !== null && known.includes(says.badge), checklistRowId: null, capturedAt: says.capturedAt };
}

const inspection = 'administrative-inspection/investigation';
const penaltyService = 'administrative-penalty/service';
const hearing = 'administrative-penalty/hearing';

// Officer 1001 is on case C-1 08:00–10:00 and case C-2 09:30–11:00 (UTC); 1002 on C-3 12:00–14:00.
const activities = [
  activity('1001', 'C-1', inspection, '2026-05-01T08:00:00Z', '2026-05-01T10:00:00Z'),
  activity('1001', 'C-2', penaltyService, '2026-05-01T09:30:00Z', '2026-05-01T11:00:00Z'),
  activity('1002', 'C-3', hearing, '2026-05-01T12:00:00Z', '2026-05-01T14:00:00Z'),
  // Same case and pair twice (two CAD rows for one visit): one answer, not an ambiguity.
  activity('1003', 'C-4', inspection, '2026-05-01T08:00:00Z', '2026-05-01T09:00:00Z'),
  activity('1003', 'C-4', inspection, '2026-05-01T08:30:00Z', '2026-05-01T10:00:00Z'),
];

interface Row {
  name: string;
  at: string;
  assignments?: Array<[string, string | null]>;
  device?: DeviceClaim | null;
  expect: Partial<TagState>;
  candidates?: string[];
  note?: RegExp;
}

const table: Row[] = [
  { name: 'inside one window', at: '2026-05-01T08:45:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    expect: { caseId: 'C-1', category: 'administrative-inspection', phase: 'investigation', checklistRow: 'inspection-investigation', unit: 'enforcement', tagSource: 'activity', officerId: '1001', officerSource: 'assignment' } },
  { name: 'overlapping windows of two cases: untagged, both listed', at: '2026-05-01T09:45:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    expect: { caseId: null, tagSource: 'untagged', officerId: '1001' }, candidates: ['C-1', 'C-2'], note: /2 activity windows/ },
  { name: 'overlapping windows of the same case and pair: one answer', at: '2026-05-01T08:45:00Z', assignments: [['2026-05-01T00:00:00Z', '1003']],
    expect: { caseId: 'C-4', tagSource: 'activity' } },
  { name: 'buffer edge: exactly the buffer before the start is in', at: '2026-05-01T11:55:00Z', assignments: [['2026-05-01T00:00:00Z', '1002']],
    expect: { caseId: 'C-3', checklistRow: 'penalty-hearing', unit: 'legal-affairs' } },
  { name: 'buffer edge: a millisecond earlier is out', at: '2026-05-01T11:54:59.999Z', assignments: [['2026-05-01T00:00:00Z', '1002']],
    expect: { caseId: null, tagSource: 'untagged', officerId: '1002' } },
  { name: 'buffer edge: exactly the buffer after the end is in', at: '2026-05-01T14:05:00Z', assignments: [['2026-05-01T00:00:00Z', '1002']],
    expect: { caseId: 'C-3' } },
  { name: 'buffer edge: a millisecond later is out', at: '2026-05-01T14:05:00.001Z', assignments: [['2026-05-01T00:00:00Z', '1002']],
    expect: { caseId: null } },
  { name: 'device reassigned mid-shift: just after the handover, the second officer (no case of theirs yet)', at: '2026-05-01T11:50:00Z',
    assignments: [['2026-05-01T07:00:00Z', '1001'], ['2026-05-01T11:30:00Z', '1002']], expect: { officerId: '1002', caseId: null } },
  { name: 'device reassigned mid-shift: the morning recording stays with the first officer', at: '2026-05-01T08:10:00Z',
    assignments: [['2026-05-01T07:00:00Z', '1001'], ['2026-05-01T11:30:00Z', '1002']], expect: { officerId: '1001', caseId: 'C-1' } },
  { name: 'device reassigned mid-shift: the afternoon recording takes the second officer’s case', at: '2026-05-01T12:30:00Z',
    assignments: [['2026-05-01T07:00:00Z', '1001'], ['2026-05-01T11:30:00Z', '1002']], expect: { officerId: '1002', caseId: 'C-3' } },
  { name: 'unknown device (no assignment): the badge in its file name names the officer', at: '2026-05-01T13:00:00Z', assignments: [],
    device: { badge: '1002', badgeKnown: true, checklistRowId: null, capturedAt: null }, expect: { officerId: '1002', officerSource: 'file-name', caseId: 'C-3' } },
  { name: 'unknown device and unknown badge: no officer, untagged, said why', at: '2026-05-01T13:00:00Z', assignments: [],
    device: { badge: '9999', badgeKnown: false, checklistRowId: null, capturedAt: null }, expect: { officerId: null, tagSource: 'untagged' }, note: /badge "9999", which is nobody on record/ },
  { name: 'unknown device, no file-name badge: untagged, never dropped', at: '2026-05-01T13:00:00Z', assignments: [], device: null,
    expect: { officerId: null, caseId: null, tagSource: 'untagged' }, note: /assigned to nobody/ },
  { name: 'the register wins over a file-name badge', at: '2026-05-01T13:00:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    device: { badge: '1002', badgeKnown: true, checklistRowId: null, capturedAt: null }, expect: { officerId: '1001', officerSource: 'assignment', caseId: null } },
  { name: 'what the device says (a checklist row) when no activity matches', at: '2026-05-01T20:00:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    device: { badge: null, badgeKnown: false, checklistRowId: 'penalty-service', capturedAt: null }, expect: { tagSource: 'device', category: 'administrative-penalty', phase: 'service', caseId: null } },
  { name: 'an activity wins over what the device says', at: '2026-05-01T08:30:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    device: { badge: null, badgeKnown: false, checklistRowId: 'penalty-service', capturedAt: null }, expect: { tagSource: 'activity', caseId: 'C-1' } },
  { name: 'a device category that is no checklist row is not used', at: '2026-05-01T20:00:00Z', assignments: [['2026-05-01T00:00:00Z', '1001']],
    device: { badge: null, badgeKnown: false, checklistRowId: 'traffic', capturedAt: null }, expect: { tagSource: 'untagged' }, note: /"traffic", which is no checklist row/ },
];

describe('tag matching', () => {
  it.each(table)('$name', (row) => {
    const at = new Date(row.at);
    const result = decideTags({
      at, assignedOfficer: assignedAt(row.assignments ?? [], at), device: row.device ?? null, activities, bufferMs: BUFFER, checklist, previous: untaggedState,
    });
    expect(result.state).toMatchObject(row.expect);
    expect(result.candidates.map((c) => c.caseId)).toEqual(row.candidates ?? []);
    if (row.note) expect(result.notes.join('; ')).toMatch(row.note);
  });

  describe('capture time across midnight and time zones', () => {
    // Officer 2001's night activity, 2026-05-01 23:00 to 2026-05-02 01:00 Beijing time (15:00–17:00 UTC).
    const night = [activity('2001', 'N-1', penaltyService, '2026-05-01T23:00:00+08:00', '2026-05-02T01:00:00+08:00')];
    const decideAt = (fileName: string, zone: string, itemCapturedAt: string) => {
      const device = fromFileName(fileName, zone, ['2001']);
      const time = matchTime(new Date(itemCapturedAt), device);
      return { time, result: decideTags({ at: time.at, assignedOfficer: null, device, activities: night, bufferMs: BUFFER, checklist, previous: untaggedState }) };
    };

    it.each([
      ['before midnight, local clock', 'DSJ01_2001_20260501233000_0001.MP4', 'Asia/Shanghai', '2026-05-01T15:30:00.000Z', 'N-1'],
      ['after midnight (next calendar day locally, same UTC day)', 'DSJ01_2001_20260502003000_0002.MP4', 'Asia/Shanghai', '2026-05-01T16:30:00.000Z', 'N-1'],
      ['the same name read as UTC lands eight hours later, outside the window', 'DSJ01_2001_20260502003000_0002.MP4', 'UTC', '2026-05-02T00:30:00.000Z', null],
    ])('%s', (_name, fileName, zone, utc, caseId) => {
      // The item's own capture time (file mtime on a FAT card, read as UTC) is off by the zone offset: the name wins.
      const { time, result } = decideAt(fileName, zone, '2026-05-02T00:30:00Z');
      expect(time).toEqual({ at: new Date(utc), source: 'device-name' });
      expect(result.state.caseId).toBe(caseId);
      expect(result.state.officerSource).toBe('file-name');
    });

    it('keeps the device clock as written, with its offset', () => {
      expect(cnRecorder.parse('DSJ01_2001_20260502003000_0002.MP4', [], { deviceZone: 'Asia/Shanghai', categoryRows: {} })).toMatchObject({
        deviceId: 'DSJ01', badge: '2001', capturedLocal: '2026-05-02T00:30:00+08:00', utcOffsetMinutes: 480,
      });
      expect(cnRecorder.parse('DSJ01_2001_20260329023000.MP4', [], { deviceZone: 'Europe/Berlin', categoryRows: {} })?.capturedAt).not.toBeNull();
    });

    it('without a device name, the item capture time is used', () => {
      expect(matchTime(new Date('2026-05-01T01:00:00Z'), null)).toEqual({ at: new Date('2026-05-01T01:00:00Z'), source: 'item' });
    });
  });

  describe('late import, manual tags and releases', () => {
    const input = { at: new Date('2026-05-01T12:30:00Z'), assignedOfficer: '1002', device: null, bufferMs: BUFFER, checklist };

    it('an activity imported after securing retags the item on the next match', () => {
      const first = decideTags({ ...input, activities: [], previous: untaggedState });
      expect(first.state).toMatchObject({ caseId: null, tagSource: 'untagged', officerId: '1002' });
      const later = decideTags({ ...input, activities, previous: first.state });
      expect(later.state).toMatchObject({ caseId: 'C-3', tagSource: 'activity' });
    });

    it('a person’s tag wins over matching until released; a second manual tag starts from the first', () => {
      const matched = decideTags({ ...input, activities, previous: untaggedState }).state;
      const manual = applyManualTag(matched, { caseId: 'C-9', category: 'administrative-penalty', phase: 'service' }, checklist);
      expect(manual).toMatchObject({ caseId: 'C-9', checklistRow: 'penalty-service', unit: 'enforcement', tagSource: 'manual', pinned: true, officerId: '1002' });
      expect(decideTags({ ...input, activities, previous: manual }).state).toEqual(manual);

      const again = applyManualTag(manual, { phase: 'hearing' }, checklist);
      expect(again).toMatchObject({ caseId: 'C-9', category: 'administrative-penalty', phase: 'hearing', checklistRow: 'penalty-hearing', unit: 'legal-affairs' });

      const released = decideTags({ ...input, activities, previous: releasePins(again) }).state;
      expect(released).toMatchObject({ caseId: 'C-3', tagSource: 'activity', pinned: false });
    });

    it('a manual officer is kept over the register', () => {
      const manual = applyManualTag(untaggedState, { officerId: '1001' }, checklist);
      expect(decideTags({ ...input, activities, previous: manual }).state).toMatchObject({ officerId: '1001', officerSource: 'manual', caseId: null });
    });

    it('refuses a pair that is not in the checklist, listing the valid pairs', () => {
      expect(() => applyManualTag(untaggedState, { category: 'administrative-inspection', phase: 'hearing' }, checklist)).toThrow(
        /"administrative-inspection\/hearing" is not a category\/phase pair.*valid pairs: administrative-inspection\/procedure-start \(行政检查\/程序启动\)/,
      );
      expect(() => applyManualTag(untaggedState, { phase: 'hearing' }, checklist)).toThrow(/give both --category and --phase/);
    });
  });

  it('S3 object tags carry case, officer, category and phase, leaving out what is not known', () => {
    expect(objectTags({ ...untaggedState, officerId: '1001' })).toEqual({ officer: '1001' });
    expect(objectTags({ ...untaggedState, caseId: 'C-1', officerId: '1001', category: 'administrative-penalty', phase: 'hearing' })).toEqual({
      case: 'C-1', officer: '1001', category: 'administrative-penalty', phase: 'hearing',
    });
  });
});

describe('case compliance report', () => {
  it('lists each row of the case’s category, what is filed, what was not reached, and the mandatory rows with nothing', () => {
    const acts = [
      activity('1001', 'P-7', 'administrative-penalty/investigation', '2026-05-01T08:00:00Z', '2026-05-01T09:00:00Z'),
      activity('1001', 'P-7', 'administrative-penalty/service', '2026-05-03T08:00:00Z', '2026-05-03T09:00:00Z'),
    ];
    const report = caseReport('P-7', checklist, acts, [
      { id: 'i1', category: 'administrative-penalty', phase: 'investigation', checklistRow: 'penalty-investigation' },
      { id: 'i2', category: null, phase: null, checklistRow: null },
    ]);
    expect(report.categories).toEqual(['administrative-penalty']);
    expect(report.rows.map((r) => [r.row.id, r.status, r.recordings])).toEqual([
      ['penalty-investigation', 'recorded', ['i1']],
      ['penalty-hearing', 'not-reached', []],
      ['penalty-service', 'missing', []],
    ]);
    expect(report.missing).toEqual(['penalty-service']);
    expect(report.unfiled).toEqual(['i2']);
  });

  it('a reached optional row without recordings is "none", not missing', () => {
    const acts = [activity('1001', 'I-1', 'administrative-inspection/investigation', '2026-05-01T08:00:00Z', '2026-05-01T09:00:00Z')];
    const report = caseReport('I-1', checklist, acts, []);
    expect(report.rows.map((r) => [r.row.id, r.status])).toEqual([['inspection-start', 'not-reached'], ['inspection-investigation', 'none']]);
    expect(report.missing).toEqual([]);
  });
});
