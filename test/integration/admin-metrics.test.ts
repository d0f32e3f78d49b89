import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceReadiness } from '../../src/adapters/readiness.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { checkDeadlinesProcessor } from '../../src/app/admin/check-deadlines.ts';
import { migrationNames } from '../../src/adapters/postgres/migrate.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { makeDevice } from '../support/harness.ts';
import { freePorts } from '../support/ports.ts';

/** `/metrics` read as Prometheus reads it (a text-format parser), and `/readyz` with each dependency's state. */
describe('metrics and readiness', () => {
  let h: ApiHarness;
  let families: Map<string, MetricFamily>;
  let text: string;
  let dataDir: string;
  const sizes = { 'DCIM/A.MP4': 40_000, 'DCIM/B.MP4': 60_000, 'DCIM/C.MP4': 1000 };

  const series = (name: string, labels: Record<string, string> = {}) =>
    (families.get(name)?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  /**
   * The parser folds the series of a labelled histogram into one (it keeps only unlabelled _count/_sum):
   * a histogram's count per label set is read from its `_count` line.
   */
  const histogramCount = (name: string, labels: string) => {
    expect(families.get(name)?.type).toBe('HISTOGRAM');
    const line = text.split('\n').find((l) => l.startsWith(`${name}_count${labels} `));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = series(name, labels);
    expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
    return Number(found[0]!.value);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'evidock-data-'));
    h = await createApiHarness({ dataDir, 'alerts.diskMinFreePercent': 100 });
    h.startWorkers((table) => ({
      ...table,
      'secure-file': async (payload, ctx) => {
        if (payload.relPath.endsWith('C.MP4')) throw new PermanentError('refused on purpose (test)', 'test-refused');
        return table['secure-file'](payload, ctx);
      },
    }));
    makeDevice(join(h.dockDir, 'MET-1'), sizes);
    await h.dock.handle({ type: 'docked', mountPath: join(h.dockDir, 'MET-1'), volumeLabel: null });
    expect((await h.waitForSession('MET-1')).filesSecured).toBe(2);
    // A device in a bay right now, and an alert (every disk counts as low here).
    await h.deps.docks.upsertDevice({ serial: 'BAY-2', serialSource: 'folder-name', label: null, seenAt: new Date() });
    await h.deps.docks.openSession({ id: ulid(), deviceSerial: 'BAY-2', dockHost: h.config.dockHost, mountPath: '/media/BAY-2', startedAt: new Date() });
    await checkDeadlinesProcessor(h.deps)({ dockHost: h.config.dockHost }, { signal: new AbortController().signal, attempt: 1, progress: async () => undefined });

    const res = await h.as('admin', { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    text = res.body;
    families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports queue depth and age per queue', () => {
    const queue = `secure-${h.config.dockHost}`;
    expect(value('evidock_queue_jobs', { queue, state: 'completed' })).toBe(2);
    expect(value('evidock_queue_jobs', { queue, state: 'failed' })).toBe(1);
    expect(value('evidock_queue_jobs', { queue, state: 'waiting' })).toBe(0);
    expect(value('evidock_queue_oldest_waiting_seconds', { queue })).toBe(0);
    expect(families.get('evidock_queue_jobs')!.type).toBe('GAUGE');
  });

  it('reports job duration per stage and failures by reason', () => {
    expect(histogramCount('evidock_job_duration_seconds', '{stage="secure-file",outcome="completed"}')).toBe(2);
    expect(histogramCount('evidock_job_duration_seconds', '{stage="secure-file",outcome="failed"}')).toBe(1);
    expect(histogramCount('evidock_job_duration_seconds', '{stage="scan-device",outcome="completed"}')).toBe(1);
    expect(value('evidock_job_failures_total', { stage: 'secure-file', reason: 'test-refused', final: 'true' })).toBe(1);
  });

  it('reports bytes and files secured and the secure throughput', () => {
    expect(value('evidock_secured_files_total')).toBe(2);
    expect(value('evidock_secured_bytes_total')).toBe(100_000);
    expect(histogramCount('evidock_secure_throughput_bytes_per_second', '')).toBe(2);
    expect(value('evidock_evidence_items')).toBe(2);
    expect(value('evidock_evidence_bytes')).toBe(100_000);
  });

  it('reports devices in bays, late items, case files, free disk and alerts', () => {
    expect(value('evidock_dock_sessions_active', { dock_host: h.config.dockHost, state: 'scanning' })).toBe(1);
    expect(value('evidock_items_secured_late')).toBe(0);
    expect(value('evidock_case_files_pending', { standing: 'due-soon' })).toBe(0);
    expect(value('evidock_case_files_pending', { standing: 'overdue' })).toBe(0);
    expect(value('evidock_disk_free_bytes', { path: dataDir })).toBeGreaterThan(0);
    expect(value('evidock_disk_total_bytes', { path: dataDir })).toBeGreaterThanOrEqual(value('evidock_disk_free_bytes', { path: dataDir }));
    expect(value('evidock_alerts_active', { kind: 'disk-low', severity: 'critical' })).toBe(1);
  });

  it('serves metrics to admins and auditors only', async () => {
    expect((await h.as('auditor', { method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await h.as('archivist', { method: 'GET', url: '/metrics' })).statusCode).toBe(403);
    expect((await h.as(null, { method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  it('answers /readyz without credentials, with each dependency ready', async () => {
    const res = await h.as(null, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const n = migrationNames().length;
    expect(res.json()).toMatchObject({
      status: 'ready',
      dependencies: {
        redis: { ok: true, detail: 'PONG' },
        postgres: { ok: true },
        minio: { ok: true, detail: `bucket ${h.endpoints.minio.bucket} exists` },
        migrations: { ok: true, detail: `${n} of ${n} applied` },
      },
    });
    expect((await h.as(null, { method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('answers 503 naming the dependency that does not answer', async () => {
    const [closedPort] = await freePorts(1);
    const readiness = new ServiceReadiness(`redis://127.0.0.1:${closedPort}`, h.deps.catalog.pool, h.deps.store, h.deps.log);
    const app = await buildApiServer({ ...h.services, admin: { ...h.services.admin, readiness } });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.status).toBe('not-ready');
      expect(body.dependencies.redis).toMatchObject({ ok: false, detail: expect.stringMatching(/ECONNREFUSED|closed|Connection/i) });
      expect(body.dependencies.postgres.ok).toBe(true);
    } finally {
      readiness.close();
      await app.close();
    }
  });
});
