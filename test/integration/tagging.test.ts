import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignDevice, registerDevice, savePerson } from '../../src/app/access/register.ts';
import { importActivities } from '../../src/app/tagging/activity-import.ts';
import { buildCaseReport } from '../../src/app/tagging/case-report.ts';
import type { System } from '../../src/main/compose.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { writeAxisDestination } from '../support/axis-destination.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

/**
 * Tagging with real PostgreSQL, MinIO and Redis: activities imported, a device whose files fall into two
 * cases docked and secured, then late imports, a reassignment and manual retags.
 */
describe('tagging recordings from activities, the register and file names', () => {
  let h: Harness;
  let core: System;
  const act = (reason = '') => ({ actor: 'archivist-7', at: new Date(), reason });
  const item = async (path: string): Promise<EvidenceItem> => (await core.catalog.queryItems({ device: 'BWC-T1' })).find((i) => i.originalPath === path)!;
  const csv = (rows: string[]) => ({ name: 'cad.csv', text: ['case_id,category,phase,badge,start,end,place', ...rows].join('\n') });
  const importCsv = (rows: string[]) => importActivities({ ...core, settings: h.config.tagging }, csv(rows), { ...act(), reason: null });

  const A = 'DCIM/DSJ01_1001_20260501093000_0001.MP4'; // 09:30 Beijing time: case C-100
  const B = 'DCIM/DSJ01_1001_20260501143000_0002.MP4'; // 14:30: case C-200
  const C = 'REC/FILE0003.MP4'; // no vendor name; its mtime, 20:00 Beijing time, is its capture time

  beforeAll(async () => {
    h = await createHarness();
    // The harness's deps are the daemon's: the core's parts (register, tags, tagging) with the processors' extras.
    core = h.deps;
    for (const [id, name] of [['1001', '张伟'], ['1002', '李娜']] as const) await savePerson(core, { id, name, unit: '执法机构', role: 'officer' }, act());
    await registerDevice(core, { serial: 'BWC-T1', model: 'DSJ-V9', deviceType: 'body-camera', custodian: '1002' }, act());
    await assignDevice(core, 'BWC-T1', '1001', new Date('2026-05-01T00:00:00+08:00'), act('shift'));
    const result = await importCsv([
      'C-100,administrative-inspection,investigation,1001,2026-05-01T09:00:00+08:00,2026-05-01T10:00:00+08:00,"Store 3, Main St"',
      'C-200,administrative-penalty,service,1001,2026-05-01 14:00,2026-05-01 15:00,Clinic',
    ]);
    expect(result).toMatchObject({ rows: 2, activities: 2, added: 2, retagged: [] });

    h.startWorkers();
    const device = join(h.dockDir, 'BWC-T1');
    makeDevice(device, { 'DEVICE_ID.txt': 'BWC-T1', [A]: 3000, [B]: 4000, [C]: 5000 }, new Date('2026-05-01T12:00:00Z'));
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    expect(await h.waitForSession('BWC-T1')).toMatchObject({ state: 'secured', filesSecured: 3 });
  });

  afterAll(async () => h?.close());

  it('files the recordings of a device into the two cases their times fall into, with row, unit and source', async () => {
    const c100 = await core.catalog.queryItems({ caseId: 'C-100' });
    const c200 = await core.catalog.queryItems({ caseId: 'C-200' });
    expect(c100.map((i) => i.originalPath)).toEqual([A]);
    expect(c200.map((i) => i.originalPath)).toEqual([B]);
    expect(c100[0]).toMatchObject({ officerId: '1001', category: 'administrative-inspection', phase: 'investigation' });
    const tags = await core.tags.currentTags([c100[0]!.id, c200[0]!.id]);
    expect(tags.get(c100[0]!.id)).toEqual({ checklistRow: 'inspection-investigation', unit: 'enforcement', tagSource: 'activity', officerSource: 'assignment', candidates: [] });
    expect(tags.get(c200[0]!.id)).toMatchObject({ checklistRow: 'penalty-service', unit: 'enforcement', tagSource: 'activity' });
  });

  it('locks a recording for its checklist row’s retention class once tagged (penalty rows: long)', async () => {
    const classes = async (path: string) => (await core.catalog.custodyEvents({ itemId: (await item(path)).id }))
      .filter((e) => e.type === 'retention-set').map((e) => e.details.retentionClass);
    expect(await classes(A)).toEqual(['standard']);
    expect(await classes(B)).toEqual(['standard', 'long']);
  });

  it('keeps what the device said: the raw name, and its clock time as UTC with the offset', async () => {
    const hints = await core.tags.hints((await item(A)).id);
    expect(hints).toMatchObject({ rawName: A, says: { parser: 'cn-recorder', deviceId: 'DSJ01', badge: '1001', capturedLocal: '2026-05-01T09:30:00+08:00', utcOffsetMinutes: 480 } });
    expect(hints!.says!.capturedAt).toEqual(new Date('2026-05-01T01:30:00Z'));
    expect(await core.tags.hints((await item(C)).id)).toMatchObject({ rawName: C, says: null });
  });

  it('puts case, officer, category and phase on the original as S3 tags', async () => {
    const a = await item(A);
    expect(await core.store.getTags(a.objects.original, a.objects.originalVersion)).toEqual({
      case: 'C-100', officer: '1001', category: 'administrative-inspection', phase: 'investigation',
    });
  });

  it('lists what matched nothing as untagged (never dropped), with a tagged custody event', async () => {
    const untagged = await core.catalog.queryItems({ device: 'BWC-T1', untagged: true });
    expect(untagged.map((i) => i.originalPath)).toEqual([C]);
    expect(untagged[0]).toMatchObject({ officerId: '1001', caseId: null });
    const custody = await core.catalog.custodyEvents({ itemId: untagged[0]!.id });
    expect(custody.filter((e) => e.type === 'tagged')).toHaveLength(1);
  });

  it('retags on a late import, keeping history; importing the same file again adds nothing', async () => {
    const row = 'C-300,administrative-inspection,procedure-start,1001,2026-05-01T19:30:00+08:00,2026-05-01T20:30:00+08:00,Hotline';
    const first = await importCsv([row]);
    expect(first.added).toBe(1);
    expect(first.retagged.filter((o) => o.changed).map((o) => o.itemId)).toEqual([(await item(C)).id]);
    const c = await item(C);
    expect(c).toMatchObject({ caseId: 'C-300', phase: 'procedure-start' });
    expect((await core.tags.tagHistory(c.id)).map((e) => [e.source, e.current.caseId])).toEqual([['untagged', null], ['activity', 'C-300']]);
    expect((await core.catalog.custodyEvents({ itemId: c.id })).filter((e) => e.type === 'tag-changed')).toHaveLength(1);
    expect(await importCsv([row])).toMatchObject({ added: 0 });
  });

  it('refuses a bad file with every bad row numbered, and imports nothing of it', async () => {
    await expect(importCsv([
      'C-400,administrative-penalty,hearing,1001,2026-05-02T09:00:00+08:00,2026-05-02T10:00:00+08:00,',
      'C-401,administrative-penalty,hearing,1001,2026-05-02T09:00:00+08:00,2026-05-02T08:00:00+08:00,',
      'C-402,administrative-penalty,hearing,1001,2026-05-02T00:00:00+08:00,2026-05-03T00:00:00+08:00,',
      'C-403,administrative-penalty,hearing,4242,2026-05-02T09:00:00+08:00,2026-05-02T10:00:00+08:00,',
    ])).rejects.toThrow(/3 row\(s\) refused, nothing imported.*\n.*row 3: end .* is not after start.*\n.*row 4: window of 24 h is longer than the maximum 12 h.*\n.*row 5: badge "4242" is nobody on record/);
    expect(await core.tags.activitiesOfCase('C-400')).toEqual([]);
  });

  it('a reassignment mid-shift moves the afternoon recording to the new officer (and out of the old officer’s case)', async () => {
    // The assignment itself matches the device's recordings from that time on again.
    const { retagged: outcomes } = await assignDevice(core, 'BWC-T1', '1002', new Date('2026-05-01T14:00:00+08:00'), act('handed over at noon'));
    expect(outcomes.filter((o) => o.changed).map((o) => o.itemId).sort()).toEqual([(await item(B)).id, (await item(C)).id].sort());
    expect(await item(A)).toMatchObject({ officerId: '1001', caseId: 'C-100' });
    expect(await item(B)).toMatchObject({ officerId: '1002', caseId: null });
    expect(await item(C)).toMatchObject({ officerId: '1002', caseId: null });
    const b = await item(B);
    expect(await core.store.getTags(b.objects.original, b.objects.originalVersion)).toEqual({ officer: '1002' });
  });

  it('a manual tag, retagged again, keeps every step with who, when, why and the values before', async () => {
    const b = await item(B);
    await core.tagging.tagManually(b.id, { caseId: 'C-200', category: 'administrative-penalty', phase: 'hearing' }, act('filed by the archivist'));
    await core.tagging.tagManually(b.id, { phase: 'service' }, act('it was the service of the decision, not the hearing'));
    expect(await item(B)).toMatchObject({ caseId: 'C-200', phase: 'service', officerId: '1002' });
    const history = await core.tags.tagHistory(b.id);
    expect(history.slice(-2).map((e) => ({ actor: e.actor, reason: e.reason, source: e.source, before: e.previous.phase, after: e.current.phase }))).toEqual([
      { actor: 'archivist-7', reason: 'filed by the archivist', source: 'manual', before: null, after: 'hearing' },
      { actor: 'archivist-7', reason: 'it was the service of the decision, not the hearing', source: 'manual', before: 'hearing', after: 'service' },
    ]);
    expect(history.map((e) => e.current.caseId)).toEqual(['C-200', null, 'C-200', 'C-200']);
    expect(await core.store.getTags(b.objects.original, b.objects.originalVersion)).toEqual({
      case: 'C-200', officer: '1002', category: 'administrative-penalty', phase: 'service',
    });
    // Matching leaves a person's tag alone; releasing it hands the item back.
    await core.tagging.retagItem(b.id, act('capture time changed'));
    expect(await item(B)).toMatchObject({ caseId: 'C-200', phase: 'service' });
    await core.tagging.release(b.id, act('the archivist was wrong'));
    expect(await item(B)).toMatchObject({ caseId: null });
    expect(await core.tags.tagHistory(b.id)).toHaveLength(5);
  });

  it('refuses a manual pair that is not in the checklist, changing nothing', async () => {
    const a = await item(A);
    await expect(core.tagging.tagManually(a.id, { category: 'administrative-inspection', phase: 'hearing' }, act('x'))).rejects.toThrow(/valid pairs/);
    expect(await core.tags.tagHistory(a.id)).toHaveLength(1);
  });

  it('records people, register changes, assignments and imports as custody events, with who and why', async () => {
    const { rows } = await core.catalog.pool.query(
      `SELECT type, actor, device_serial, details FROM custody_events WHERE item_id IS NULL AND session_id IS NULL ORDER BY id`,
    );
    expect(rows.map((r) => r.type)).toEqual([
      'person-recorded', 'person-recorded', 'device-registered', 'device-assigned', 'activities-imported', 'activities-imported', 'activities-imported', 'device-assigned',
    ]);
    expect(rows[3]).toMatchObject({ actor: 'archivist-7', device_serial: 'BWC-T1', details: { officerId: '1001', previousOfficer: null, reason: 'shift' } });
    expect(rows[7]).toMatchObject({ details: { officerId: '1002', previousOfficer: '1001', reason: 'handed over at noon' } });
    expect(rows[4]).toMatchObject({ details: { file: 'cad.csv', rows: 2, added: 2 } });
  });

  it('reports a case against the checklist: rows, recordings, and mandatory rows with none', async () => {
    const { report } = await buildCaseReport(core, 'C-200');
    expect(report.rows.map((r) => [r.row.id, r.status])).toEqual([
      ['penalty-investigation', 'not-reached'], ['penalty-hearing', 'not-reached'], ['penalty-service', 'missing'],
    ]);
    const c100 = await buildCaseReport(core, 'C-100');
    expect(c100.report.rows.map((r) => [r.row.id, r.status, r.recordings])).toEqual([
      ['inspection-start', 'not-reached', []], ['inspection-investigation', 'recorded', [(await item(A)).id]],
    ]);
    await expect(buildCaseReport(core, 'NOPE')).rejects.toThrow(/no case "NOPE"/);
  });

  it('docks an Axis destination folder, and matches its recordings again when their officer and camera are put on record', async () => {
    const uuid = '3f2a9c1e-5b7d-4e0a-9c61-0d8e2b4a7f10';
    const device = join(h.dockDir, 'AXIS-CD');
    makeDevice(device, { 'DEVICE_ID.txt': 'AXIS-CD1' });
    const [clip] = writeAxisDestination(device, [{
      userUuid: uuid, serial: 'B8A44F3A1C22', triggerOn: new Date('2026-05-01T01:30:00Z'), status: 'Complete',
      clips: [{ start: new Date('2026-05-01T01:29:45Z'), recordingId: '4821', bytes: 2000 }],
    }]);
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    expect(await h.waitForSession('AXIS-CD1')).toMatchObject({ state: 'secured', filesSecured: 1 });
    const [secured] = await core.catalog.queryItems({ device: 'AXIS-CD1' });
    expect(secured!.originalPath).toBe(clip);
    expect((await core.tags.hints(secured!.id))?.says).toMatchObject({ parser: 'axis', deviceId: 'B8A44F3A1C22', badge: uuid, capturedAt: new Date('2026-05-01T01:29:45Z') });
    expect(secured!.officerId).toBeNull();

    // The user is put on record under Axis's UUID (no user ID stored): the recording now has its officer.
    await savePerson(core, { id: uuid, name: 'Officer 3f2a', unit: '执法机构', role: 'officer' }, act('Axis user'));
    expect((await core.catalog.queryItems({ device: 'AXIS-CD1' }))[0]).toMatchObject({ officerId: uuid });
    // Registering and assigning the camera reaches the recording secured through the destination folder.
    await registerDevice(core, { serial: 'B8A44F3A1C22', model: 'Axis W110', deviceType: 'body-camera', custodian: null }, act());
    const { retagged } = await assignDevice(core, 'B8A44F3A1C22', '1002', new Date('2026-05-01T00:00:00Z'), act('camera handed out'));
    expect(retagged.map((o) => o.itemId)).toEqual([secured!.id]);
  });
});
