import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../support/api.ts';

describe('API: people, devices and activities, as the CLI has them', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('adds a person, registers and assigns a device, with the CLI’s JSON', async () => {
    const added = await h.as('admin', { method: 'PUT', url: '/api/people/1001', payload: { name: '张伟', unit: '执法机构', role: 'officer', reason: 'new hire' } });
    expect(added.json()).toEqual({ outcome: 'added', person: { id: '1001', name: '张伟', unit: '执法机构', role: 'officer' } });
    expect((await h.as('officer', { method: 'GET', url: '/api/people' })).json()).toContainEqual({ id: '1001', name: '张伟', unit: '执法机构', role: 'officer' });
    expect((await h.as('admin', { method: 'PUT', url: '/api/people/1001', payload: { name: 'x', role: 'chief' } })).json()).toMatchObject({ field: 'role' });

    const device = await h.as('supervisor', { method: 'PUT', url: '/api/devices/BWC-9', payload: { model: 'DSJ-V9', type: 'body-camera', custodian: '1001' } });
    expect(device.json()).toMatchObject({ outcome: 'added', device: { serial: 'BWC-9', model: 'DSJ-V9', custodianId: '1001' } });
    const unknown = await h.as('supervisor', { method: 'POST', url: '/api/devices/BWC-9/assignments', payload: { officer: 'NOBODY' } });
    expect(unknown.json()).toMatchObject({ code: 'invalid-input', field: 'officer', message: expect.stringContaining('no person with badge "NOBODY"') });
    const assigned = await h.as('supervisor', { method: 'POST', url: '/api/devices/BWC-9/assignments', payload: { officer: '1001', from: '2026-05-01T00:00:00Z', reason: 'shift' } });
    expect(assigned.json()).toEqual([expect.objectContaining({ officerId: '1001', from: '2026-05-01T00:00:00.000Z', assignedBy: 'T-supervisor', reason: 'shift' })]);
    expect((await h.as('auditor', { method: 'GET', url: '/api/devices' })).json()).toContainEqual(expect.objectContaining({ serial: 'BWC-9', officerId: '1001' }));
  });

  it('imports activities, lists a case’s, and refuses a bad file naming the rows', async () => {
    const text = ['case_id,category,phase,badge,start,end,place', 'C-100,administrative-inspection,investigation,1001,2026-05-01T09:00:00+08:00,2026-05-01T10:00:00+08:00,"Store 3"'].join('\n');
    const imported = await h.as('auxiliary', { method: 'POST', url: '/api/activities/import', payload: { name: 'cad.csv', text, reason: 'CAD export' } });
    expect(imported.json()).toMatchObject({ rows: 1, activities: 1, added: 1 });
    expect((await h.as('officer', { method: 'GET', url: '/api/activities?case=C-100' })).json()).toEqual([
      expect.objectContaining({ caseId: 'C-100', officerId: '1001', startsAt: '2026-05-01T01:00:00.000Z', place: 'Store 3' }),
    ]);
    const bad = await h.as('auxiliary', { method: 'POST', url: '/api/activities/import', payload: { name: 'cad.csv', text: text.replace('investigation', 'hearing') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'text', message: expect.stringContaining('nothing imported') });
    expect((await h.as('auxiliary', { method: 'POST', url: '/api/activities/import', payload: { name: 'cad.xlsx', text } })).json()).toMatchObject({ field: 'name' });
  });
});
