import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedChecklist } from '../../src/config/checklist-file.ts';
import { checkActivities } from '../../src/domain/activities.ts';
import { parseChecklist, rowFor } from '../../src/domain/checklist.ts';
import { cnRecorder, parsersFor } from '../../src/domain/vendor-names.ts';
import { parseIsoTime, zonedToUtc } from '../../src/domain/zoned-time.ts';

const shipped = JSON.parse(readFileSync(shippedChecklist, 'utf8'));
const checklist = parseChecklist(shipped);

describe('the recording checklist', () => {
  it('ships the five rows of regulation part C with English codes, Chinese labels, unit and retention class', () => {
    expect(checklist.rows.map((r) => `${r.category}/${r.phase}`)).toEqual([
      'administrative-inspection/procedure-start', 'administrative-inspection/investigation', 'administrative-penalty/investigation',
      'administrative-penalty/hearing', 'administrative-penalty/service',
    ]);
    expect(rowFor(checklist, 'administrative-penalty', 'hearing')).toMatchObject({
      id: 'penalty-hearing', categoryLabel: '行政处罚', phaseLabel: '听证', unit: 'legal-affairs', unitLabel: '法制机构', mandatory: true, retentionClass: 'long',
    });
  });

  it.each([
    ['a pair used twice', (c: any) => c.rows.push({ ...c.rows[0], id: 'again' }), /administrative-inspection\/procedure-start is already another row/],
    ['an id used twice', (c: any) => c.rows.push({ ...c.rows[1], phase: 'hearing' }), /id used twice/],
    ['a unit without a label', (c: any) => (c.rows[0].unit = 'nobody'), /"nobody" is not in units/],
    ['an unknown retention class', (c: any) => (c.rows[0].retentionClass = 'forever'), /rows\.0\.retentionClass/],
  ])('refuses %s, saying where', (_name, spoil, message) => {
    const copy = structuredClone(shipped);
    spoil(copy);
    expect(() => parseChecklist(copy)).toThrow(message);
  });
});

describe('activity rows', () => {
  const rules = { checklist, zone: 'Asia/Shanghai', maxWindowMs: 12 * 3_600_000, knownBadges: new Set(['1001', '1002']) };
  const row = (n: number, fields: Record<string, unknown>) => ({
    row: n, fields: { case_id: 'C-1', category: 'administrative-penalty', phase: 'service', badge: '1001', start: '2026-05-01T08:00:00+08:00', end: '2026-05-01T10:00:00+08:00', ...fields },
  });

  it('reads a window with or without an offset (then in the configured zone), keeping it as written', () => {
    const { activities, errors } = checkActivities([row(2, {}), row(3, { start: '2026-05-01 08:00', end: '2026-05-01T02:00:00Z', officers: undefined })], rules);
    expect(errors).toEqual([]);
    expect(activities[1]).toMatchObject({ startsAt: new Date('2026-05-01T00:00:00Z'), endsAt: new Date('2026-05-01T02:00:00Z'), startsRaw: '2026-05-01 08:00', sourceRow: 3 });
  });

  it('gives one activity per officer of a row', () => {
    expect(checkActivities([{ row: 1, fields: { ...row(1, {}).fields, badge: undefined, officers: ['1001', '1002'] } }], rules).activities.map((a) => a.officerId)).toEqual(['1001', '1002']);
  });

  it.each([
    ['an end before the start', { end: '2026-05-01T07:00:00+08:00' }, /row 4: end 2026-05-01T07:00:00\+08:00 is not after start/],
    ['a window longer than the maximum', { end: '2026-05-02T09:00:00+08:00' }, /row 4: window of 25 h is longer than the maximum 12 h \(tagging\.maxActivityMs\)/],
    ['a pair not in the checklist', { category: 'administrative-inspection', phase: 'hearing' }, /row 4: "administrative-inspection\/hearing" is not a category\/phase pair.*valid pairs/],
    ['an unknown badge', { badge: '7777' }, /row 4: badge "7777" is nobody on record; add them first with evidock people add 7777/],
    ['a time that is not ISO 8601', { start: '01/05/2026 08:00' }, /row 4: start "01\/05\/2026 08:00" is not an ISO 8601 date-time/],
    ['a missing case', { case_id: '' }, /row 4: case_id is missing/],
  ])('refuses %s with the row number', (_name, fields, message) => {
    const { activities, errors } = checkActivities([row(2, {}), row(4, fields)], rules);
    expect(errors.join('\n')).toMatch(message);
    expect(errors).toHaveLength(1);
    expect(activities).toHaveLength(1);
  });
});

describe('vendor file names', () => {
  it('reads <deviceId>_<badge>_<YYYYMMDDHHMMSS>_<seq> in the device zone, and ignores other names', () => {
    expect(cnRecorder.parse('DCIM/100MEDIA/DSJ-V9X_000123_20260501093000_0007.MP4', [], { deviceZone: 'Asia/Shanghai', categoryRows: {} })).toEqual({
      parser: 'cn-recorder', deviceId: 'DSJ-V9X', badge: '000123', capturedAt: new Date('2026-05-01T01:30:00Z'),
      capturedLocal: '2026-05-01T09:30:00+08:00', utcOffsetMinutes: 480, checklistRowId: null,
    });
    expect(cnRecorder.parse('DCIM/100MEDIA/FILE0001.MP4', [], { deviceZone: 'Asia/Shanghai', categoryRows: {} })).toBeNull();
    expect(cnRecorder.parse('A_B_20261345990000.MP4', [], { deviceZone: 'Asia/Shanghai', categoryRows: {} })).toMatchObject({ badge: 'B', capturedAt: null, capturedLocal: '2026-13-45T99:00:00' });
  });

  it('picks parsers by device model, else the defaults', () => {
    const settings = { parsers: { 'Axis W110': ['axis' as const] }, defaultParsers: ['cn-recorder' as const, 'axis' as const] };
    expect(parsersFor('Axis W110', settings).map((p) => p.name)).toEqual(['axis']);
    expect(parsersFor(null, settings).map((p) => p.name)).toEqual(['cn-recorder', 'axis']);
  });
});

describe('zoned time', () => {
  it('turns wall-clock time into UTC with the offset that applied', () => {
    expect(zonedToUtc({ year: 2026, month: 1, day: 1, hour: 0, minute: 30, second: 0 }, 'Asia/Shanghai')).toEqual({ at: new Date('2025-12-31T16:30:00Z'), offsetMinutes: 480 });
    expect(zonedToUtc({ year: 2026, month: 7, day: 1, hour: 12, minute: 0, second: 0 }, 'Europe/Berlin')?.offsetMinutes).toBe(120);
    expect(zonedToUtc({ year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0 }, 'UTC')).toBeNull();
  });

  it('parses ISO 8601 with an offset as written, without one in the zone', () => {
    expect(parseIsoTime('2026-05-01T08:00:00-05:30', 'Asia/Shanghai')).toEqual({ at: new Date('2026-05-01T13:30:00Z'), offsetMinutes: -330 });
    expect(parseIsoTime('2026-05-01T08:00', 'Asia/Shanghai')).toEqual({ at: new Date('2026-05-01T00:00:00Z'), offsetMinutes: 480 });
    expect(parseIsoTime('2026-05-01', 'UTC')).toBeNull();
  });
});
