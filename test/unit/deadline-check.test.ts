import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryAlertStore } from '../../src/adapters/memory/memory-alerts.ts';
import { MemoryDeadlineFacts } from '../../src/adapters/memory/memory-deadline-facts.ts';
import { MemoryJobQueues } from '../../src/adapters/memory/memory-jobs.ts';
import { adminFinalFailure, type AdminJobName, adminProcessors } from '../../src/app/admin/processors.ts';
import type { CheckDeps } from '../../src/app/admin/ports.ts';
import { scheduleDeadlineChecks } from '../../src/app/admin/check-deadlines.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AlertMessage } from '../../src/domain/alerts.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { createLogger } from '../../src/log.ts';
import type { CaseClosure } from '../../src/ports/case-records.ts';
import type { FailedJob } from '../../src/ports/job-admin.ts';
import type { ProcessorTable } from '../../src/ports/jobs.ts';
import type { RegisteredDevice } from '../../src/ports/registry.ts';

const HOUR = 3_600_000;
const GB = 1e9;

/** The deadline check and alert delivery on memory adapters: items, register, cases, failed jobs, disks and the webhook as the test sets them. */
function adminWorld(options: { webhook?: boolean } = {}) {
  const clock = new ManualClock('2026-05-01T08:00:00Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'evidock-admin-'));
  const config = loadConfig({ env: {}, cwd: dataDir, overrides: { dockHost: 'dock-1', dataDir, alerts: { diskPaths: ['/evidence'], webhook: { attempts: 3, backoffMs: 1000 } } } });
  const items = new Map<string, EvidenceItem>();
  const alerts = new MemoryAlertStore();
  const facts = new MemoryDeadlineFacts(items);
  const world = {
    devices: [] as RegisteredDevice[],
    closed: [] as CaseClosure[],
    failedJobs: [] as FailedJob[],
    disks: new Map<string, { freeBytes: number; totalBytes: number } | Error>([[dataDir, { freeBytes: 500 * GB, totalBytes: 1000 * GB }], ['/evidence', { freeBytes: 500 * GB, totalBytes: 1000 * GB }]]),
    sent: [] as AlertMessage[],
    webhookAnswer: (_call: number): Error | null => null,
    factsDown: false,
  };
  const deps: CheckDeps = {
    config, clock, log: createLogger('silent'),
    queues: null as unknown as CheckDeps['queues'], // set below: the queues run the processors built from these deps
    admin: {
      alerts,
      facts: {
        flagLateItems: (...a) => (world.factsDown ? Promise.reject(new Error('catalog unreachable')) : facts.flagLateItems(...a)),
        newestRecordings: (serials) => facts.newestRecordings(serials), lateItemCount: () => facts.lateItemCount(), evidenceTotals: () => facts.evidenceTotals(),
      },
      devices: { devices: async () => world.devices },
      cases: { closedCases: async () => world.closed.map((closure) => ({ closure, file: null })) },
      jobs: { failed: async () => world.failedJobs },
      disk: { usage: async (path) => { const d = world.disks.get(path); if (!d || d instanceof Error) throw d ?? new Error(`ENOENT: ${path}`); return d; } },
      notifier: {
        enabled: options.webhook ?? true,
        deliver: async (message) => {
          const failure = world.webhookAnswer(world.sent.length + 1);
          world.sent.push(message);
          if (failure) throw failure;
        },
      },
    },
  };
  const queues = new MemoryJobQueues({ dockHost: 'dock-1', clock, attempts: 1, backoffMs: 1000, retries: { 'deliver-alert': config.alerts.webhook } });
  deps.queues = queues;
  const notAdmin = async () => {
    throw new Error('not an admin job');
  };
  const table = { 'scan-device': notAdmin, 'secure-file': notAdmin, 'wipe-device': notAdmin, 'media-probe': notAdmin, 'media-transcode': notAdmin, 'media-thumbnails': notAdmin, 'media-publish': notAdmin, ...adminProcessors(deps) } as ProcessorTable;
  const workers = queues.start(table, (name, payload, reason) => adminFinalFailure(deps, name as AdminJobName, payload as never, reason), ['check-deadlines', 'deliver-alert']);

  const item = (id: string, capturedAt: Date, securedAt: Date): EvidenceItem => ({
    id, sha256: id.padEnd(64, '0'), size: 10, kind: 'video', deviceSerial: 'BWC-1', originalPath: `${id}.MP4`, officerId: 'O1', caseId: null, category: null, phase: null,
    capturedAt, capturedAtSource: 'container', securedAt, status: 'secured', sessionId: 'S1', objects: { original: `items/${id}/original.mp4`, originalVersion: null, manifest: `items/${id}/manifest.json` },
  });
  /** Runs one check of this host through the queue, then every delivery it queued. */
  const check = async (dockHost = 'dock-1') => {
    // Each check a run of its own, as each scheduler run is (a plain add of the same host's check would be a duplicate).
    queues.remove(`check-deadlines-${dockHost}`);
    await queues.add('check-deadlines', { dockHost });
    await workers.drain();
    return queues.list('check-deadlines').at(-1)!;
  };
  const deliveries = () => queues.list('deliver-alert').map((j) => j.payload);
  return { clock, config, items, alerts, facts, world, deps, queues, workers, item, check, deliveries, dataDir };
}

describe('check-deadlines', () => {
  it('finds nothing on a healthy installation: no alert, no message', async () => {
    const w = adminWorld();
    w.items.set('I1', w.item('I1', new Date('2026-05-01T01:00:00Z'), new Date('2026-05-01T07:00:00Z')));
    const job = await w.check();
    expect(job.result).toEqual({ conditions: 0, raised: 0, refreshed: 0, cleared: 0 });
    expect(await w.alerts.active()).toEqual([]);
    expect(w.deliveries()).toEqual([]);
  });

  it('an item secured past 24 h is flagged once (custody event) and alerted once, however often the check runs', async () => {
    const w = adminWorld();
    w.items.set('I1', w.item('I1', new Date('2026-04-29T08:00:00Z'), new Date('2026-04-30T09:00:00Z')));
    const first = await w.check();
    expect(first.result).toMatchObject({ conditions: 1, raised: 1 });
    expect(w.facts.events.map((e) => [e.type, e.itemId, e.details.delayMs])).toEqual([['compliance-breach', 'I1', 25 * HOUR]]);
    const [alert] = await w.alerts.active();
    expect(alert).toMatchObject({ kind: 'secure-late', once: true });
    expect(w.world.sent).toEqual([expect.objectContaining({ status: 'firing', id: alert!.id, kind: 'secure-late' })]);
    w.clock.advance(HOUR);
    await w.check();
    expect(w.facts.events).toHaveLength(1);
    expect(w.world.sent).toHaveLength(1);
    // A one-off fact clears by itself a day after it was raised, with its resolved message.
    w.clock.advance(24 * HOUR);
    expect((await w.check()).result).toMatchObject({ cleared: 1 });
    expect(w.world.sent.map((m) => m.status)).toEqual(['firing', 'resolved']);
  });

  it('a device not docked for 24 h is alerted while it lasts, and cleared (with a resolved message) once it docks', async () => {
    const w = adminWorld();
    const device: RegisteredDevice = {
      serial: 'BWC-7', model: null, deviceType: null, custodianId: null, label: null, firstSeenAt: null, lastSeenAt: new Date('2026-04-30T06:00:00Z'),
      officerId: 'O7', assignedSince: new Date('2026-04-01T00:00:00Z'),
    };
    w.world.devices = [device];
    expect((await w.check()).result).toMatchObject({ raised: 1 });
    expect((await w.alerts.active())[0]).toMatchObject({ key: 'device-not-docked:BWC-7', subject: 'device:BWC-7' });
    expect((await w.check()).result).toMatchObject({ raised: 0, refreshed: 1 });
    device.lastSeenAt = w.clock.now();
    expect((await w.check()).result).toMatchObject({ cleared: 1 });
    expect(w.world.sent.map((m) => [m.status, m.key])).toEqual([['firing', 'device-not-docked:BWC-7'], ['resolved', 'device-not-docked:BWC-7']]);
  });

  it("alerts a low disk of this host, leaves out a disk it cannot read, and never clears another host's disk alert", async () => {
    const w = adminWorld();
    w.world.disks.set('/evidence', { freeBytes: 2 * GB, totalBytes: 1000 * GB });
    w.world.disks.set(w.dataDir, new Error('EACCES'));
    await w.check('dock-2');
    expect((await w.alerts.active()).map((a) => a.key)).toEqual(['disk-low:dock-2:/evidence']);
    w.world.disks.set('/evidence', { freeBytes: 500 * GB, totalBytes: 1000 * GB });
    expect((await w.check('dock-1')).result).toMatchObject({ cleared: 0 });
    expect(await w.alerts.active()).toHaveLength(1);
    expect((await w.check('dock-2')).result).toMatchObject({ cleared: 1 });
  });

  it('alerts failed jobs left unretried, and a case file past its 30 days', async () => {
    const w = adminWorld();
    w.world.failedJobs = [{ queue: 'secure-dock-1', id: 'j1', name: 'secure-file', failedAt: new Date('2026-05-01T07:00:00Z'), attemptsMade: 8, reason: 'EIO', data: {} }];
    w.world.closed = [{ caseId: 'C-9', endedAt: new Date('2026-03-01T00:00:00Z'), closedAt: new Date('2026-03-02T00:00:00Z'), closedBy: 'a', reason: null }];
    await w.check();
    expect((await w.alerts.active()).map((a) => [a.kind, a.severity]).sort()).toEqual([['case-file-overdue', 'critical'], ['jobs-failed', 'warning']]);
  });

  it('queues no webhook message when no webhook is configured', async () => {
    const w = adminWorld({ webhook: false });
    w.items.set('I1', w.item('I1', new Date('2026-04-20T00:00:00Z'), new Date('2026-04-30T00:00:00Z')));
    expect((await w.check()).result).toMatchObject({ raised: 1 });
    expect(w.deliveries()).toEqual([]);
  });

  it('two hosts checking the same condition raise it once and notify once', async () => {
    const w = adminWorld();
    w.items.set('I1', w.item('I1', new Date('2026-04-20T00:00:00Z'), new Date('2026-04-30T00:00:00Z')));
    await w.check('dock-1');
    await w.check('dock-2');
    expect(await w.alerts.active()).toHaveLength(1);
    expect(w.deliveries()).toHaveLength(1);
  });

  it('a failed scheduled check is not retried; the next scheduled run checks again', async () => {
    const w = adminWorld();
    await scheduleDeadlineChecks({ config: w.config, queues: w.queues });
    w.world.factsDown = true;
    await w.workers.drain();
    expect(w.queues.list('check-deadlines').map((j) => [j.state, j.attemptsMade, j.failedReason])).toEqual([['failed', 1, 'catalog unreachable']]);
    w.world.factsDown = false;
    w.clock.advance(w.config.alerts.checkIntervalMs);
    await w.workers.drain();
    expect(w.queues.list('check-deadlines').map((j) => j.state)).toEqual(['failed', 'completed']);
  });
});

describe('deliver-alert', () => {
  const raised = async (w: ReturnType<typeof adminWorld>) => {
    w.items.set('I1', w.item('I1', new Date('2026-04-20T00:00:00Z'), new Date('2026-04-30T00:00:00Z')));
    w.world.webhookAnswer = () => new Error('ECONNREFUSED');
    // The check alone: its delivery job waits in the queue for the test to drain it.
    await adminProcessors(w.deps)['check-deadlines']({ dockHost: 'dock-1' }, { signal: new AbortController().signal, attempt: 1, progress: async () => undefined });
    expect(w.deliveries()).toHaveLength(1);
    const [alert] = await w.alerts.active();
    return alert!;
  };

  it('sends the alert message and records the delivery', async () => {
    const w = adminWorld();
    const alert = await raised(w);
    w.world.webhookAnswer = () => null;
    await w.workers.drain();
    expect(w.world.sent).toEqual([expect.objectContaining({ source: 'evidock', status: 'firing', id: alert.id, raisedAt: alert.raisedAt.toISOString(), clearedAt: null })]);
    expect(w.alerts.deliveries).toEqual([{ alertId: alert.id, status: 'firing', at: w.clock.now(), error: null }]);
  });

  it('a webhook that is down is retried with backoff; the retry that gets through records the delivery once', async () => {
    const w = adminWorld();
    const alert = await raised(w);
    w.world.webhookAnswer = (call) => (call < 3 ? new Error('ECONNREFUSED') : null);
    await w.workers.drain();
    expect(w.queues.list('deliver-alert').map((j) => [j.state, j.attemptsMade])).toEqual([['completed', 3]]);
    expect(w.clock.now().getTime() - new Date('2026-05-01T08:00:00Z').getTime()).toBe(1000 + 2000);
    expect(w.alerts.deliveries).toEqual([{ alertId: alert.id, status: 'firing', at: w.clock.now(), error: null }]);
  });

  it('a webhook down past every attempt leaves the reason on the alert, once', async () => {
    const w = adminWorld();
    const alert = await raised(w);
    await w.workers.drain();
    expect(w.world.sent).toHaveLength(3);
    expect(w.alerts.deliveries).toEqual([{ alertId: alert.id, status: 'firing', at: w.clock.now(), error: 'ECONNREFUSED' }]);
  });

  it('a receiver that refuses the message is not asked again; the refusal stays on the alert', async () => {
    const w = adminWorld();
    const alert = await raised(w);
    w.world.webhookAnswer = () => new PermanentError('webhook answered 400 Bad Request', 'webhook-refused');
    await w.workers.drain();
    expect(w.world.sent).toHaveLength(1);
    expect(w.alerts.deliveries).toEqual([expect.objectContaining({ alertId: alert.id, error: 'webhook answered 400 Bad Request' })]);
  });

  it('a message for an alert that does not exist fails for good, sending nothing', async () => {
    const w = adminWorld();
    await w.queues.add('deliver-alert', { alertId: 'missing', status: 'firing' });
    await w.workers.drain();
    expect(w.queues.list('deliver-alert').map((j) => [j.state, j.attemptsMade, j.failedReason])).toEqual([['failed', 1, 'alert missing does not exist']]);
    expect(w.world.sent).toEqual([]);
  });
});
