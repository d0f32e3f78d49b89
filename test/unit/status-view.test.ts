import { describe, expect, it } from 'vitest';
import type { AlertJson } from '../../src/app/admin/contracts.ts';
import type { DockJson } from '../../src/app/contracts.ts';
import { alertLines, drawRow, transferText, VIEW_COLUMNS, viewRows } from '../../src/cli/status-watch.ts';

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
    expect(rows.map((r) => r.key)).toEqual(['docks', 'bay:S1', 'bay:S1:bytes', 'bay:S2', 'bay:S2:bytes', 'queues', 'queue:secure-dock-1', 'alert:0', 'alert:1']);
    expect(rows[1]).toMatchObject({ kind: 'bar', value: 4, total: 10, text: '3/10 1 failed  SECURING' });
    expect(rows[3]).toMatchObject({ kind: 'bar', value: 5, total: 5, text: '5/5  SAFE TO UNDOCK' });
    expect(rows[6]).toMatchObject({ kind: 'text', text: expect.stringMatching(/secure-dock-1\s+waiting 6  active 2$/) });
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

  it('fits 80 columns with a long serial, failures and a reason, and still shows SAFE TO UNDOCK whole', () => {
    const rows = viewRows({
      docks: [dock({ deviceSerial: 'BWC-2026-0001-LONG-SERIAL', state: 'secured', safeToUndock: true, filesSecured: 1234, filesFailed: 56, filesTotal: 1290, reason: 'x'.repeat(200) })],
      queues: { 'secure-a-very-long-dock-host-name': { waiting: 123456, active: 2, delayed: 0, failed: 7 } },
      alerts: [],
    });
    const drawn = rows.map((r) => drawRow(r));
    for (const line of drawn) expect(line.length, line).toBeLessThanOrEqual(VIEW_COLUMNS);
    expect(drawn[1]).toMatch(/1234\/1290 56 failed  SAFE TO UNDOCK$/);
    expect(drawn.find((l) => l.includes('secure-a-very'))).toMatch(/failed 7$/);
  });

  it('shows bytes, rate and ETA while securing; a refused 0/0 device gets an empty bar, not a full one', () => {
    const now = new Date('2026-05-01T08:00:10.000Z');
    expect(transferText(dock({ bytesSecured: 50e6, bytesTotal: 150e6 }), now)).toBe('50.0 MB / 150.0 MB  5.0 MB/s  ETA 20 s');
    const refused = viewRows({ docks: [dock({ state: 'attention', filesSecured: 0, filesFailed: 0, filesTotal: 0 })], queues: {}, alerts: [] });
    expect(drawRow(refused[1]!)).toContain(`[${'-'.repeat(16)}]`);
  });

  it('shows a safe device whose mount is gone as undocked', () => {
    const safe = dock({ state: 'secured', safeToUndock: true, filesSecured: 10, filesFailed: 0, endedAt: '2026-05-01T08:05:00.000Z' });
    expect(viewRows({ docks: [safe], queues: {}, alerts: [] }, { departed: () => true })[1]).toMatchObject({ text: '10/10  UNDOCKED' });
    expect(viewRows({ docks: [safe], queues: {}, alerts: [] }, { departed: () => false })[1]).toMatchObject({ text: '10/10  SAFE TO UNDOCK' });
  });
});
