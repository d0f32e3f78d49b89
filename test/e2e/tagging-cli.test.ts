import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockJson } from '../../src/app/contracts.ts';
import { runCli, startDaemonProcess, type DaemonProcess } from '../support/cli.ts';
import { makeDevice, waitFor } from '../support/harness.ts';
import { configuredServicesEnv } from '../support/daemon-env.ts';

/** The tagging commands as an archivist and an admin run them, against a running daemon's services. */
describe('tagging from the CLI', () => {
  let env: Record<string, string>;
  let daemon: DaemonProcess;
  const dockDir = mkdtempSync(join(tmpdir(), 'e2e-tag-dock-'));
  const files = mkdtempSync(join(tmpdir(), 'e2e-tag-files-'));
  const cli = async (...args: string[]) => runCli(args, env);
  const json = async (...args: string[]) => {
    const r = await cli(...args, '--json');
    expect(r.stderr, args.join(' ')).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    env = { ...(await configuredServicesEnv(dockDir, 'e2e-tag')), EVIDOCK_ROLES: 'dock', EVIDOCK_ACTOR: 'archivist-7' };
    daemon = startDaemonProcess(env);
    await daemon.waitForLog('evidock started');
    // The CLI acts as a person on record: the first admin is added by the service account, then the others by them.
    expect((await runCli(['people', 'add', 'ADM-1', '--name', 'Admin', '--role', 'admin'], { ...env, EVIDOCK_ACTOR: '' })).code).toBe(0);
    for (const [badge, role] of [['archivist-7', 'archivist'], ['SUP-1', 'supervisor']]) {
      expect((await runCli(['people', 'add', badge!, '--name', badge!, '--role', role!, '--by', 'ADM-1'], env)).code).toBe(0);
    }
  }, 300_000);
  afterAll(async () => daemon?.stop());

  it('records people and the device register, refusing what is not valid', async () => {
    expect(await cli('people', 'add', '1001', '--name', '张伟', '--role', 'officer', '--unit', '执法机构', '--by', 'ADM-1')).toMatchObject({ code: 0, stdout: '1001 added\n' });
    expect(await cli('people', 'add', '1002', '--name', '李娜', '--role', 'chief', '--by', 'ADM-1')).toMatchObject({ code: 1, stderr: expect.stringContaining('use one of: officer, auxiliary, archivist') });
    expect(await json('people', 'list')).toContainEqual({ id: '1001', name: '张伟', unit: '执法机构', role: 'officer' });

    expect((await cli('devices', 'register', 'BWC-E1', '--model', 'DSJ-V9', '--type', 'body-camera', '--custodian', '1001', '--by', 'SUP-1')).code).toBe(0);
    expect(await cli('devices', 'assign', 'BWC-E1', '9999', '--by', 'SUP-1')).toMatchObject({ code: 1, stderr: expect.stringContaining('no person with badge "9999"') });
    expect(await cli('devices', 'assign', 'NOPE', '1001', '--by', 'SUP-1')).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown device "NOPE"') });
    expect((await cli('devices', 'assign', 'BWC-E1', '1001', '--from', '2026-05-01T00:00:00+08:00', '--reason', 'issued', '--by', 'SUP-1')).code).toBe(0);
    expect(await json('devices', 'list')).toEqual([expect.objectContaining({
      serial: 'BWC-E1', model: 'DSJ-V9', type: 'body-camera', custodianId: '1001', officerId: '1001', assignedSince: '2026-04-30T16:00:00.000Z', firstSeenAt: null,
    })]);
    expect(await json('devices', 'history', 'BWC-E1')).toEqual([{
      officerId: '1001', from: '2026-04-30T16:00:00.000Z', to: null, assignedBy: 'SUP-1', recordedAt: expect.any(String), reason: 'issued',
    }]);
  });

  it('imports activities, refusing a bad file with its row numbers', async () => {
    writeFileSync(join(files, 'bad.csv'), 'case_id,category,phase,badge,start,end\nC-1,administrative-penalty,trial,1001,2026-05-01T09:00:00+08:00,2026-05-01T10:00:00+08:00\n');
    const bad = await cli('import', 'activities', join(files, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/row 2: "administrative-penalty\/trial" is not a category\/phase pair of the recording checklist; valid pairs: administrative-inspection\/procedure-start \(行政检查\/程序启动\)/);

    writeFileSync(join(files, 'cad.json'), JSON.stringify([
      { caseId: 'C-1', category: 'administrative-penalty', phase: 'investigation', officers: ['1001'], start: '2026-05-01T09:00:00+08:00', end: '2026-05-01T10:00:00+08:00', place: '某药店' },
      { caseId: 'C-2', category: 'administrative-inspection', phase: 'investigation', badge: '1001', start: '2026-05-01T13:00:00+08:00', end: '2026-05-01T14:00:00+08:00' },
      { caseId: 'C-3', category: 'administrative-inspection', phase: 'investigation', badge: '1001', start: '2026-05-01T13:30:00+08:00', end: '2026-05-01T14:30:00+08:00' },
    ]));
    expect(await json('import', 'activities', join(files, 'cad.json'))).toMatchObject({ rows: 3, activities: 3, added: 3, retagged: 0, changed: [] });
  });

  it('tags what a docked device recorded; query shows the tags, their source and what is untagged', async () => {
    const staging = mkdtempSync(join(tmpdir(), 'staging-'));
    makeDevice(join(staging, 'BWC-E1'), {
      'DEVICE_ID.txt': 'BWC-E1',
      'DCIM/DSJ01_1001_20260501093000_0001.MP4': 2000, // in C-1
      'DCIM/DSJ01_1001_20260501134500_0002.MP4': 2000, // in both C-2 and C-3
    });
    renameSync(join(staging, 'BWC-E1'), join(dockDir, 'BWC-E1'));
    await waitFor('BWC-E1 safe to undock', async () => {
      const { code, stdout } = await cli('status', '--json');
      return code === 0 && (JSON.parse(stdout) as { docks: DockJson[] }).docks.some((d) => d.deviceSerial === 'BWC-E1' && d.safeToUndock);
    }, 60_000);

    const [c1] = await json('query', '--case', 'C-1');
    expect(c1).toMatchObject({
      originalPath: 'DCIM/DSJ01_1001_20260501093000_0001.MP4', caseId: 'C-1', category: 'administrative-penalty', phase: 'investigation',
      checklistRow: 'penalty-investigation', unit: 'enforcement', tagSource: 'activity', officerId: '1001', officerSource: 'assignment', tagCandidates: [],
    });
    const untagged = await json('query', '--untagged');
    expect(untagged).toHaveLength(1);
    expect(untagged[0]).toMatchObject({ caseId: null, tagSource: 'untagged', officerId: '1001' });
    expect(untagged[0].tagCandidates.map((c: { caseId: string }) => c.caseId)).toEqual(['C-2', 'C-3']);
  });

  it('an archivist tags an item by id and in bulk, with the reason kept; a pair outside the checklist is refused', async () => {
    const [item] = await json('query', '--untagged');
    const refused = await cli('tag', item.id, '--category', 'administrative-inspection', '--phase', 'hearing', '--reason', 'x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/valid pairs: /);
    expect(await cli('tag', item.id, '--case', 'C-2')).toMatchObject({ code: 2, stderr: expect.stringContaining('say why with --reason') });

    const bulk = await json('tag', '--where-device', 'BWC-E1', '--where-untagged', '--case', 'C-3', '--category', 'administrative-inspection', '--phase', 'investigation', '--reason', 'bulk filing');
    expect(bulk).toEqual([expect.objectContaining({ itemId: item.id, changed: true, tags: expect.objectContaining({ caseId: 'C-3', checklistRow: 'inspection-investigation', tagSource: 'manual' }) })]);
    const [byId] = await json('tag', item.id, '--phase', 'procedure-start', '--reason', 'it was the hotline call', '--by', '1001');
    expect(byId).toMatchObject({ changed: true, tags: { caseId: 'C-3', category: 'administrative-inspection', phase: 'procedure-start', checklistRow: 'inspection-start' } });
    expect(await json('query', '--untagged')).toEqual([]);

    const [history] = await json('tag', item.id, '--history');
    expect(history.events.map((e: { actor: string; reason: string; previous: { phase: string | null }; current: { caseId: string | null; phase: string | null } }) =>
      [e.actor, e.reason, e.previous.phase, e.current.caseId, e.current.phase])).toEqual([
      [env.EVIDOCK_DOCK_HOST, 'secured', null, null, null],
      ['archivist-7', 'bulk filing', null, 'C-3', 'investigation'],
      ['1001', 'it was the hotline call', 'investigation', 'C-3', 'procedure-start'],
    ]);
  });

  it('reports a case against the checklist', async () => {
    const report = await json('case', 'report', 'C-1');
    expect(report).toMatchObject({ caseId: 'C-1', categories: ['administrative-penalty'], missing: [] });
    expect(report.rows.map((r: { checklistRow: string; status: string; recordings: unknown[] }) => [r.checklistRow, r.status, r.recordings.length])).toEqual([
      ['penalty-investigation', 'recorded', 1], ['penalty-hearing', 'not-reached', 0], ['penalty-service', 'not-reached', 0],
    ]);
    const human = await cli('case', 'report', 'C-1');
    expect(human.stdout).toMatch(/ok\s+penalty-investigation\s+行政处罚\/调查取证/);
    expect(human.stdout).toContain('no mandatory recording missing');
  });

  it('refuses a checklist that is not valid, naming the key, the file and the problem', async () => {
    const bad = join(files, 'checklist.json');
    writeFileSync(bad, JSON.stringify({ title: 'x', categories: { a: 'A' }, phases: { p: 'P' }, units: { u: 'U' }, rows: [
      { id: 'r1', category: 'a', phase: 'p', record: 'r', unit: 'u', mandatory: true, retentionClass: 'standard' },
      { id: 'r2', category: 'a', phase: 'p', record: 'r', unit: 'u', mandatory: false, retentionClass: 'standard' },
    ] }));
    const { code, stderr } = await runCli(['people', 'list'], { ...env, EVIDOCK_TAGGING_CHECKLIST: bad });
    expect(code).toBe(78);
    expect(stderr).toContain(`config key "tagging.checklist" (env EVIDOCK_TAGGING_CHECKLIST): the recording checklist ${bad} is not usable: rows[1] (r2): a/p is already another row`);
  });

  it('acts only as an enabled person on record whose role allows the act, and records the operating-system user beside them', async () => {
    const [item] = (await json('query', '--device', 'BWC-E1')) as Array<{ id: string }>;
    const ghost = await cli('tag', item!.id, '--case', 'C-9', '--reason', 'who am I', '--by', 'GHOST-9999');
    expect(ghost).toMatchObject({ code: 1, stderr: expect.stringContaining('"GHOST-9999" is not an enabled person on record') });
    expect((await cli('people', 'add', 'H-5001', '--name', 'Head', '--role', 'head', '--by', 'ADM-1')).code).toBe(0);
    const head = await cli('tag', item!.id, '--case', 'C-9', '--reason', 'not mine to do', '--by', 'H-5001');
    expect(head).toMatchObject({ code: 1, stderr: expect.stringContaining("H-5001's role (head) may not change a recording's tags: it lacks the permission items:tag") });
    expect((await cli('people', 'add', 'AU-7001', '--name', 'Auditor', '--role', 'auditor', '--by', 'ADM-1')).code).toBe(0);
    const auditor = await runCli(['devices', 'assign', 'BWC-E1', '1001', '--reason', 'x'], { ...env, EVIDOCK_ACTOR: 'AU-7001' });
    expect(auditor).toMatchObject({ code: 1, stderr: expect.stringContaining('devices:write') });
    expect(await runCli(['query', '--json'], { ...env, EVIDOCK_ACTOR: '' })).toMatchObject({ code: 1, stderr: expect.stringContaining('say who acts') });
    expect((await cli('people', 'disable', '1001', '--by', 'ADM-1', '--reason', 'left')).code).toBe(0);
    expect(await cli('query', '--by', '1001')).toMatchObject({ code: 1, stderr: expect.stringContaining('not an enabled person') });
    expect((await cli('people', 'enable', '1001', '--by', 'H-5001')).code).toBe(0);
    const mine = JSON.parse((await cli('trail', '--person', 'H-5001', '--format', 'json', '--by', 'H-5001')).stdout) as Array<{ type: string; details: { from?: string } }>;
    expect(mine.find((e) => e.type === 'person-enabled')?.details.from).toMatch(/^cli:[^@]+@/);
  }, 300_000);
});
