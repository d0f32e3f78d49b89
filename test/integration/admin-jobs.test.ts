import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/domain/errors.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { runCli, servicesEnv } from '../support/cli.ts';
import { makeDevice } from '../support/harness.ts';

/**
 * Jobs failed on purpose (a secure job refused with a permanent error) show up in the dashboard's API,
 * the admin API and `evidock jobs failed`; a retry secures the file and the session ends safe to undock.
 */
describe('failed jobs: dashboard, list and retry', () => {
  let h: ApiHarness;
  let env: Record<string, string>;
  let secureQueue: string;
  let broken = true;

  beforeAll(async () => {
    h = await createApiHarness();
    env = { ...servicesEnv(h.endpoints, h.config.dockHost), EVIDOCK_ACTOR: 'T-admin' };
    secureQueue = `secure-${h.config.dockHost}`;
    h.startWorkers((table) => ({
      ...table,
      'secure-file': async (payload, ctx) => {
        if (broken && payload.relPath.endsWith('B.MP4')) throw new PermanentError('the card reader refused this file (test)', 'test-refused');
        return table['secure-file'](payload, ctx);
      },
    }));
    makeDevice(join(h.dockDir, 'JOBS-1'), { 'DCIM/A.MP4': 2000, 'DCIM/B.MP4': 3000 });
    await h.dock.handle({ type: 'docked', mountPath: join(h.dockDir, 'JOBS-1'), volumeLabel: null });
    const session = await h.waitForSession('JOBS-1');
    expect(session.state).toBe('attention');
  });
  afterAll(async () => {
    await h?.close();
  });

  const auditActions = async () => {
    const pool = new pg.Pool({ connectionString: h.endpoints.postgresUrl });
    try {
      const { rows } = await pool.query(`SELECT type, actor, details FROM custody_events WHERE kind = 'audit' AND type IN ('jobs-failed', 'job-retry') ORDER BY seq`);
      return rows as Array<{ type: string; actor: string; details: Record<string, unknown> }>;
    } finally {
      await pool.end();
    }
  };

  it("shows the failed job in bull-board's API, to admins only", async () => {
    const url = `/admin/queues/api/queues?activeQueue=${encodeURIComponent(secureQueue)}&status=failed&page=1&jobsPerPage=10`;
    const res = await h.as('admin', { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const queue = res.json().queues.find((q: { name: string }) => q.name === secureQueue);
    expect(queue.counts.failed).toBe(1);
    expect(queue.jobs).toHaveLength(1);
    expect(queue.jobs[0]).toMatchObject({ name: 'secure-file', failedReason: 'the card reader refused this file (test)', data: { relPath: 'DCIM/B.MP4' } });

    expect((await h.as('archivist', { method: 'GET', url })).statusCode).toBe(403);
    expect((await h.as(null, { method: 'GET', url })).statusCode).toBe(401);
    // The page itself is behind the same check.
    expect((await h.as(null, { method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const page = await h.as('admin', { method: 'GET', url: '/admin/queues' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('lists it with its reason in the admin API and in "evidock jobs failed", audited', async () => {
    const res = await h.as('admin', { method: 'GET', url: `/admin/jobs/failed?queue=${secureQueue}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().jobs).toEqual([
      expect.objectContaining({ queue: secureQueue, name: 'secure-file', reason: 'the card reader refused this file (test)', attemptsMade: 1, failedAt: expect.any(String) }),
    ]);

    const cli = await runCli(['jobs', 'failed', '--queue', secureQueue, '--json'], env);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const listed = JSON.parse(cli.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ queue: secureQueue, name: 'secure-file', reason: 'the card reader refused this file (test)', data: { relPath: 'DCIM/B.MP4' } });

    const human = await runCli(['jobs', 'failed', '--queue', secureQueue], env);
    expect(human.stdout).toContain('secure-file JOBS-1 DCIM/B.MP4 after 1 attempt(s): the card reader refused this file (test)');

    const audited = await auditActions();
    expect(audited.filter((a) => a.type === 'jobs-failed').map((a) => a.actor)).toEqual(['T-admin', 'T-admin', 'T-admin']);
  });

  it('refuses a retry of an unknown job, naming how to find the ids', async () => {
    const cli = await runCli(['jobs', 'retry', 'no-such-job', '--queue', secureQueue], env);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('no failed job no-such-job');
    const api = await h.as('admin', { method: 'POST', url: '/admin/jobs/retry', payload: { id: 'no-such-job', queue: secureQueue } });
    expect(api.statusCode).toBe(404);
    expect((await h.as('admin', { method: 'POST', url: '/admin/jobs/retry', payload: {} })).json()).toMatchObject({ code: 'invalid-input' });
  });

  it('retries it: the file is secured and the session ends safe to undock, and the retry is audited', async () => {
    const [failed] = JSON.parse((await runCli(['jobs', 'failed', '--queue', secureQueue, '--json'], env)).stdout);
    broken = false;
    const cli = await runCli(['jobs', 'retry', failed.id, '--queue', secureQueue], env);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('Retried 1 job(s)');

    const session = await h.waitForSession('JOBS-1', (s) => s.state === 'secured');
    expect(session).toMatchObject({ filesSecured: 2, filesFailed: 0, filesTotal: 2 });
    expect(await h.deps.catalog.queryItems({ device: 'JOBS-1' })).toHaveLength(2);
    expect((await h.as('admin', { method: 'GET', url: `/admin/jobs/failed?queue=${secureQueue}` })).json().jobs).toEqual([]);

    const retries = (await auditActions()).filter((a) => a.type === 'job-retry');
    expect(retries).toEqual([expect.objectContaining({ actor: 'T-admin', details: expect.objectContaining({ queue: secureQueue, jobId: failed.id, name: 'secure-file' }) })]);
  });

  it("audits bull-board's changes with who made them; pausing a checks queue raises an alert its resume clears", async () => {
    const checks = `checks-${h.config.dockHost}`;
    // The checks queue exists once a check was queued; the dashboard reads the queue list when it is asked for it.
    await h.deps.queues.add('check-deadlines', { dockHost: h.config.dockHost });
    expect((await h.as('admin', { method: 'GET', url: '/admin/queues/api/queues' })).json().queues.map((q: { name: string }) => q.name)).toContain(checks);
    const act = (role: Parameters<ApiHarness['as']>[0], what: 'pause' | 'resume') => h.as(role, { method: 'PUT', url: `/admin/queues/api/queues/${encodeURIComponent(checks)}/${what}` });
    expect((await act('archivist', 'pause')).statusCode).toBe(403);
    const paused = await act('admin', 'pause');
    expect(paused.statusCode, paused.body).toBeLessThan(300);
    const alert = (await h.as('auditor', { method: 'GET', url: '/admin/alerts' })).json().active.find((a: { kind: string }) => a.kind === 'queue-paused');
    expect(alert).toMatchObject({ severity: 'critical', subject: `queue:${checks}`, details: { queue: checks, by: 'T-admin' } });
    expect((await act('admin', 'resume')).statusCode).toBeLessThan(300);
    expect((await h.as('auditor', { method: 'GET', url: '/admin/alerts' })).json().active.filter((a: { kind: string }) => a.kind === 'queue-paused')).toEqual([]);
    const entries = (await h.services.audit.entries(0, 100_000)).filter((e) => e.type === 'admin:queues' && String(e.details.target).includes(checks));
    expect(entries.map((e) => `${e.actor} ${String(e.details.target).split('/').at(-1)} ${e.details.result}`)).toEqual([
      'T-archivist pause refused', 'T-admin pause ok', 'T-admin resume ok',
    ]);
  });
});
