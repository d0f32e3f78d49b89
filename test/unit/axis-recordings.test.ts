import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDeviceHints } from '../../src/app/tagging/device-hints.ts';
import { axis, checkCategoryRows } from '../../src/domain/axis-recordings.ts';
import { parsersFor } from '../../src/domain/vendor-names.ts';
import { type AxisRecording, containerName, writeAxisDestination } from '../support/axis-destination.ts';

const context = { deviceZone: 'Asia/Shanghai', categoryRows: { '7': 'penalty-hearing', '9': 'inspection-start' } };
const parsers = parsersFor(null, { parsers: {}, defaultParsers: ['cn-recorder', 'axis'] });

const recording = (over: Partial<AxisRecording> = {}): AxisRecording => ({
  userUuid: '3f2a9c1e-5b7d-4e0a-9c61-0d8e2b4a7f10', serial: 'B8A44F3A1C22', triggerOn: new Date('2026-05-01T01:30:00Z'),
  clips: [{ start: new Date('2026-05-01T01:29:45Z'), recordingId: '4821', bytes: 100 }, { start: new Date('2026-05-01T01:59:45Z'), recordingId: '4821', bytes: 100 }],
  status: 'Complete', ...over,
});

/** Docks a destination folder holding `recordings` and reads what each clip says, as tagging does at securing. */
async function hintsOf(recordings: AxisRecording[], edit?: (root: string) => void) {
  const root = mkdtempSync(join(tmpdir(), 'axis-'));
  const clips = writeAxisDestination(root, recordings);
  edit?.(root);
  return Promise.all(clips.map((clip) => readDeviceHints(root, clip, parsers, context)));
}

describe('Axis recordings as a content destination stores them', () => {
  it('gives each clip the camera serial, the officer\'s own ID, and the clip\'s own start time (UTC)', async () => {
    const [first, second] = await hintsOf([recording({ userId: 'PC-1001' })]);
    expect(first!.says).toMatchObject({ parser: 'axis', deviceId: 'B8A44F3A1C22', badge: 'PC-1001', capturedAt: new Date('2026-05-01T01:29:45Z'), utcOffsetMinutes: 0, checklistRowId: null });
    expect(second!.says?.capturedAt).toEqual(new Date('2026-05-01T01:59:45Z'));
    // The container metadata, the clip's own and the user's were read and are kept as read.
    const container = containerName(recording());
    expect(first!.sidecars.map((s) => s.path)).toEqual([`${container}/${container}.metadata.json`, `${container}/${container}.20260501_012945_4821.mkv.metadata.json`, `Users/Users.${recording().userUuid}.metadata.json`]);
  });

  it('keeps the user UUID as the officer when the destination stores no user ID', async () => {
    const [hints] = await hintsOf([recording()]);
    expect(hints!.says?.badge).toBe('3f2a9c1e-5b7d-4e0a-9c61-0d8e2b4a7f10');
  });

  it('takes the serial from the metadata over the folder name, and falls back to the folder when the metadata is unreadable', async () => {
    const r = recording();
    const container = containerName(r);
    const [renamed] = await hintsOf([r], (root) => writeFileSync(join(root, container, `${container}.metadata.json`), JSON.stringify({ Bwcserialnumber: 'B8A44F000777', Status: 'Complete' })));
    expect(renamed!.says?.deviceId).toBe('B8A44F000777');
    const [broken] = await hintsOf([r], (root) => writeFileSync(join(root, container, `${container}.metadata.json`), '{ broken'));
    expect(broken!.says).toMatchObject({ deviceId: 'B8A44F3A1C22', badge: r.userUuid });
    expect(broken!.sidecars[0]).toMatchObject({ content: null, error: expect.stringMatching(/^not JSON/) });
  });

  it('maps bookmark categories to checklist rows through the configured table; unknown categories and plain notes do not tag', async () => {
    const at = new Date('2026-05-01T01:40:00Z');
    const [noted] = await hintsOf([recording({ bookmarks: [{ at, id: '1', note: 'suspect left on foot' }, { at, id: '2', note: 'hearing', categoryId: '7', categoryName: 'Hearing' }] })]);
    expect(noted!.says?.checklistRowId).toBe('penalty-hearing');
    expect(noted!.sidecars.filter((s) => s.path.includes('.bookmark_'))).toHaveLength(2);
    const [unknown] = await hintsOf([recording({ bookmarks: [{ at, id: '3', note: '', categoryId: '42' }] })]);
    expect(unknown!.says?.checklistRowId).toBeNull();
    // A category written on the recording itself is not Axis's: only bookmarks carry categories.
    const r = recording();
    const container = containerName(r);
    const [onRecording] = await hintsOf([r], (root) => writeFileSync(join(root, container, `${container}.metadata.json`), JSON.stringify({ Categoryid: '7', Status: 'Complete' })));
    expect(onRecording!.says?.checklistRowId).toBeNull();
  });

  it('falls back to the clip name, then the trigger time, when clip metadata is missing', () => {
    const container = 'u-1_B8A44F3A1C22_20260501T013000Z';
    expect(axis.parse(`${container}/20260501_012945_4821.mp4`, [], context)?.capturedAt).toEqual(new Date('2026-05-01T01:29:45Z'));
    expect(axis.parse(`${container}/clip.mkv`, [], context)?.capturedAt).toEqual(new Date('2026-05-01T01:30:00Z'));
    expect(axis.parse('DCIM/20260501_012945_4821.mkv', [], context)).toBeNull();
  });

  it('refuses a category table naming a row the checklist does not have, saying which', () => {
    expect(() => checkCategoryRows({ '7': 'penalty-hearing' }, ['penalty-hearing'])).not.toThrow();
    expect(() => checkCategoryRows({ '7': 'penalty-hearing', '9': 'no-such-row' }, ['penalty-hearing'])).toThrow(/tagging.axisCategories maps "9" to "no-such-row", not a checklist row/);
  });
});
