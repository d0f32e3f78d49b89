import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/adapters/bullmq-jobs.ts';
import { checkDeadlinesProcessor } from '../../src/app/admin/check-deadlines.ts';
import type { AdminDeps } from '../../src/app/admin/deps.ts';
import { buildProcessors, finalFailureHandler } from '../../src/app/processors.ts';
import { assignDevice, registerDevice, savePerson } from '../../src/app/access/register.ts';
import type { System } from '../../src/main/compose.ts';
import type { AlertMessage } from '../../src/domain/alerts.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Workers } from '../../src/ports/jobs.ts';
import { createHarness, type Harness, waitFor } from '../support/harness.ts';

const H = 3600_000;
const D = 24 * H;

/** A loopback receiver for the alert webhook: answers 500 to the first message (to prove the retry), then 204. */
async function webhookReceiver(): Promise<{ url: string; received: AlertMessage[]; attempts: () => number; close(): Promise<void> }> {
  const received: AlertMessage[] = [];
  let attempts = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      attempts += 1;
      if (attempts === 1) {
        res.writeHead(500).end('busy');
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received, attempts: () => attempts, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * The scheduled check over real data (PostgreSQL, Redis, the device register, case records) with a fake
 * clock: each condition raises one alert, delivered once to the webhook (after a retry), and clears when
 * the condition ends.
 */
describe('deadline checks and alerts', () => {
  let h: Harness;
  let core: System;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let workers: Workers;
  let now = new Date(Date.now() + 60_000);
  const clock: Clock = { now: () => now };
  const check = (deps: AdminDeps = { ...core, clock }) => checkDeadlinesProcessor(deps)({ dockHost: core.config.dockHost }, { signal: new AbortController().signal, attempt: 1, progress: async () => undefined });
  // Redis is shared by every test file: failed jobs of other files' queues raise alerts of their own, left out here.
  const ours = (key: string) => !key.startsWith('jobs-failed:') || key === `jobs-failed:alerts-${core.config.dockHost}`;
  const messages = () => hook.received.filter((m) => ours(m.key));
  const firing = (key: string) => hook.received.filter((m) => m.key === key && m.status === 'firing');
  const resolved = (key: string) => hook.received.filter((m) => m.key === key && m.status === 'resolved');
  const activeKeys = async () => (await core.admin.alerts.active()).map((a) => a.key).filter(ours).sort();

  beforeAll(async () => {
    hook = await webhookReceiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'evidock-data-'));
    h = await createHarness({
      dataDir,
      'alerts.webhook.url': hook.url,
      'alerts.webhook.backoffMs': 50,
      'alerts.webhook.attempts': 5,
      // Every disk is "low" for this test; one check later runs with the limit off to see it clear.
      'alerts.diskMinFreePercent': 100,
    });
    core = { ...h.deps, clock };
    const act = { actor: 'test', at: new Date(), reason: null };
    const { config } = core;

    // An item secured 30 h after capture (B7 breach), through the catalog as the secure step records it.
    const sessionId = ulid();
    const capturedAt = new Date(now.getTime() - 40 * H);
    await core.docks.upsertDevice({ serial: 'LATE-1', serialSource: 'id-file', label: null, seenAt: new Date(capturedAt.getTime() + 30 * H) });
    await core.docks.openSession({ id: sessionId, deviceSerial: 'LATE-1', dockHost: config.dockHost, mountPath: '/media/LATE-1', startedAt: new Date(capturedAt.getTime() + 30 * H) });
    await core.catalog.addSessionFiles(sessionId, [{ relPath: 'A.MP4', size: 10, mtimeMs: capturedAt.getTime(), kind: 'video', state: 'pending', reason: null }]);
    const itemId = ulid();
    await core.catalog.recordSecured({
      item: {
        id: itemId, sha256: 'a'.repeat(64), size: 10, kind: 'video', deviceSerial: 'LATE-1', originalPath: 'A.MP4', officerId: null, caseId: null, category: null, phase: null,
        capturedAt, capturedAtSource: 'mtime', securedAt: new Date(capturedAt.getTime() + 30 * H), status: 'secured', sessionId,
        objects: { original: `items/${itemId}/original.mp4`, originalVersion: null, manifest: `items/${itemId}/manifest.json` },
      },
      mtimeMs: capturedAt.getTime(),
      events: [],
    });

    // A device assigned to an officer two days ago and never docked since.
    await savePerson(core, { id: 'P-7', name: 'Officer Seven', unit: 'enforcement', role: 'officer' }, act);
    await registerDevice(core, { serial: 'BWC-7', model: null, deviceType: 'body camera', custodian: null }, act);
    await assignDevice(core, 'BWC-7', 'P-7', new Date(Date.now() - 2 * D), act);

    // A case closed 27 days ago without a case file: due within the 5-day warning window.
    await core.records.closeCase({ caseId: 'CASE-9', endedAt: new Date(now.getTime() - 27 * D), closedAt: new Date(), closedBy: 'test', reason: null });

    // The workers that deliver alerts, and a delivery failed on purpose (an alert that does not exist).
    workers = startWorkers(
      {
        redisUrl: h.endpoints.redisUrl, dockHost: config.dockHost, attempts: 1, backoffMs: 50, mediaQueuePrefix: config.media.queuePrefix,
        concurrency: { 'deliver-alert': 1 }, lockDurationMs: 30_000, log: core.log,
      },
      buildProcessors(core),
      finalFailureHandler(core),
    );
    await core.queues.add('deliver-alert', { alertId: 'NO-SUCH-ALERT', status: 'firing' });
    await waitFor('the failed delivery', async () => (await core.admin.jobs.failed({ queue: `alerts-${config.dockHost}`, limit: 10 })).length === 1);
  });
  afterAll(async () => {
    await workers?.close(1000);
    await h?.close();
    await hook?.close();
  });

  const diskKey = () => `disk-low:${core.config.dockHost}:${core.config.dataDir}`;

  it('raises one alert per condition, each delivered once to the webhook after a retry', async () => {
    await check();
    const keys = await activeKeys();
    expect(keys).toHaveLength(4);
    expect(keys).toEqual(expect.arrayContaining(['case-file-due:CASE-9', 'device-not-docked:BWC-7', diskKey(), expect.stringMatching(/^secure-late:/)]));
    await waitFor('four webhook messages', async () => messages().length === 4);
    expect(hook.attempts()).toBe(hook.received.length + 1);
    for (const key of await activeKeys()) expect(firing(key)).toHaveLength(1);
    expect(firing('device-not-docked:BWC-7')[0]).toMatchObject({ source: 'evidock', kind: 'device-not-docked', severity: 'warning', subject: 'device:BWC-7', clearedAt: null });
  });

  it('flags the late item as a compliance breach, with a custody event in its trail', async () => {
    const [item] = await core.catalog.queryItems({ device: 'LATE-1' });
    const events = await core.catalog.custodyEvents({ itemId: item!.id });
    expect(events.map((e) => e.type)).toContain('compliance-breach');
    expect(events.find((e) => e.type === 'compliance-breach')!.details).toMatchObject({ rule: 'B7-secure-within-24h', delayMs: 30 * H });
    expect(await core.admin.facts.lateItemCount()).toBe(1);
  });

  it('does not alert again while the conditions hold, even from two checks at once', async () => {
    const before = await activeKeys();
    await Promise.all([check(), check()]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await activeKeys()).toEqual(before);
    expect(messages()).toHaveLength(4);
  });

  it('alerts failed jobs left alone past the limit and a case file that becomes overdue; ends the one-off alert after a day', async () => {
    now = new Date(now.getTime() + 4 * D);
    await check();
    expect(await activeKeys()).toEqual(expect.arrayContaining([`jobs-failed:alerts-${core.config.dockHost}`, 'case-file-overdue:CASE-9']));
    expect(await activeKeys()).not.toContain('case-file-due:CASE-9');
    // Four days on, the one-off late-securing alert (shown for a day) has cleared as well.
    await waitFor('overdue, failed-jobs and three resolved messages', async () => messages().length === 8);
    expect(firing('case-file-overdue:CASE-9')).toHaveLength(1);
    expect(resolved('case-file-due:CASE-9')).toHaveLength(1);
    expect(firing(`jobs-failed:alerts-${core.config.dockHost}`)[0]!.message).toContain('alert NO-SUCH-ALERT does not exist');
    expect(hook.received.filter((m) => m.kind === 'secure-late').map((m) => m.status)).toEqual(['firing', 'resolved']);
  });

  it('clears each alert when its condition ends, notifying once', async () => {
    now = new Date(now.getTime() + 60_000);
    await core.docks.upsertDevice({ serial: 'BWC-7', serialSource: 'id-file', label: null, seenAt: now }); // docked
    const roomy = { ...core, config: { ...core.config, alerts: { ...core.config.alerts, diskMinFreePercent: 0, diskMinFreeBytes: 0 } } };
    await check(roomy);
    expect(await activeKeys()).not.toContain('device-not-docked:BWC-7');
    expect(await activeKeys()).not.toContain(diskKey());
    await waitFor('two resolved messages', async () => messages().length === 10);
    expect(resolved('device-not-docked:BWC-7')).toHaveLength(1);
    expect(resolved(diskKey())).toHaveLength(1);
    const stored = await core.admin.alerts.recent(new Date(0), 50);
    expect(stored.find((a) => a.key === 'device-not-docked:BWC-7')!.clearedAt).toEqual(now);
  });

  it('does not flag or alert the late item again', async () => {
    now = new Date(now.getTime() + D);
    await check();
    expect(await core.admin.facts.lateItemCount()).toBe(1);
    expect((await activeKeys()).some((k) => k.startsWith('secure-late:'))).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.received.filter((m) => m.kind === 'secure-late')).toHaveLength(2);
  });
});
