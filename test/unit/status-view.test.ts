import { describe, expect, it } from 'vitest';
import type { AlertJson } from '../../src/app/admin/contracts.ts';
import type { DockJson } from '../../src/app/contracts.ts';
import { alertLines, viewRows } from '../../src/cli/status-watch.ts';

const dock = (over: Partial<DockJson>): DockJson => ({
  sessionId: 'S1', deviceSerial: 'BWC-1', dockHost: 'dock-1', mountPath: '/media/BWC-1', state: 'securing', safeToUndock: false, reason: null,
  filesSecured: 3, filesFailed: 1, filesTotal: 10, bytesSecured: 300, bytesTotal: 1000, startedAt: '2026-05-01T08:00:00.000Z', endedAt: null, ...over,
});
const alert = (over: Partial<AlertJson>): AlertJson => ({
  id: 'A1', key: 'k', kind: 'disk-low', severity: 'warning', subject: 's', message: 'something is wrong', details: {},
  raisedAt: '2026-05-01T08:00:00.000Z', seenAt: '2026-05-01T08:00:00.000Z', clearedAt: null, ...over,
});

describe('the live status view', () => {
  it('has a bar per bay (files handled of total), then the queues, then the alerts', () => {
    const rows = viewRows({
      docks: [dock({}), dock({ sessionId: 'S2', deviceSerial: 'BWC-2', state: 'secured', safeToUndock: true, filesSecured: 5, filesFailed: 0, filesTotal: 5 })],
      queues: { 'secure-dock-1': { waiting: 6, active: 2 } },
      alerts: [alert({})],
    });
    expect(rows.map((r) => r.key)).toEqual(['docks', 'bay:S1', 'bay:S2', 'queues', 'queue:secure-dock-1', 'alert:0', 'alert:1']);
    expect(rows[1]).toMatchObject({ kind: 'bar', value: 4, total: 10, text: '3/10 files  SECURING' });
    expect(rows[2]).toMatchObject({ kind: 'bar', value: 5, total: 5, text: '5/5 files  SAFE TO UNDOCK' });
    expect(rows[4]).toMatchObject({ kind: 'text', text: expect.stringMatching(/secure-dock-1\s+waiting 6  active 2$/) });
  });

  it('says when nothing is docked and when there are no alerts', () => {
    const rows = viewRows({ docks: [], queues: {}, alerts: [] });
    expect(rows.map((r) => (r.kind === 'text' ? r.text : ''))).toEqual(['No devices docked.', 'Queues:', 'Alerts: none']);
  });

  it('lists critical alerts before warnings, oldest first within each', () => {
    const lines = alertLines([
      alert({ message: 'w-new', raisedAt: '2026-05-02T00:00:00.000Z' }),
      alert({ message: 'c', severity: 'critical', raisedAt: '2026-05-03T00:00:00.000Z' }),
      alert({ message: 'w-old', raisedAt: '2026-05-01T00:00:00.000Z' }),
    ]);
    expect(lines.map((l) => l.replace(/ \(since .*\)$/, '').trim())).toEqual(['Alerts:', 'CRITICAL c', 'warning  w-old', 'warning  w-new']);
  });
});
