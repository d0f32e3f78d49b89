import { alertJson, failedJobJson } from '../../app/admin/contracts.ts';
import { retryFailedJobs, RetryRefused, listFailedJobs } from '../../app/admin/failed-jobs.ts';
import { gaugeSnapshot } from '../../app/admin/gauges.ts';
import { requirePermission, userOf } from '../auth.ts';
import type { FastifyRequest } from 'fastify';
import { raiseAndClear } from '../../app/admin/apply-alerts.ts';
import { auditRequest } from '../audit.ts';
import type { ApiContext, RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';
import { visibleAlertItems } from '../visibility.ts';

/**
 * A change made from bull-board (pause, resume, clean, obliterate, retry, remove, promote) is audited with
 * who did it. Pausing a checks queue stops the 24-hour and 30-day checks of its host: that raises a
 * critical alert, which its resume clears.
 */
async function auditDashboardAct(ctx: ApiContext, request: FastifyRequest, status: number): Promise<void> {
  const path = request.url.split('?')[0]!.slice(DASHBOARD_PATH.length);
  await auditRequest(ctx, request, { action: 'admin:queues', target: `queues:${path}`, result: status < 400 ? 'ok' : 'refused', details: { status } });
  const paused = /^\/api\/queues\/([^/]+)\/(pause|resume)$/.exec(path);
  const queue = paused ? decodeURIComponent(paused[1]!) : null;
  if (status >= 400 || !queue?.startsWith('checks-')) return;
  const now = ctx.clock.now();
  const key = `queue-paused:${queue}`;
  const active = (await ctx.admin.alerts.active()).filter((a) => a.key === key);
  const by = request.user?.id ?? 'anonymous';
  const condition = {
    key, kind: 'queue-paused' as const, severity: 'critical' as const, subject: `queue:${queue}`, once: false, details: { queue, by },
    message: `queue ${queue} was paused by ${by} from the dashboard: the 24-hour and 30-day deadline checks of its host do not run until it is resumed`,
  };
  await raiseAndClear(ctx, paused![2] === 'pause' ? { raise: active.length ? [] : [condition], refresh: [], clear: [] } : { raise: [], refresh: [], clear: active }, now);
}

/** Where bull-board is mounted. */
export const DASHBOARD_PATH = '/admin/queues';
/** Alerts also list those cleared within this window. */
const RECENT_ALERTS_MS = 24 * 3600_000;

/**
 * For admins: the queue dashboard, failed jobs and their retry, Prometheus metrics; and the alerts,
 * which supervisors, the head and auditors read as well (deadline breaches, B7/B8).
 */
export const adminRoutes: RouteModule = async (app, ctx) => {
  const deps = ctx;
  const { admin, clock } = deps;
  const who = (request: Parameters<typeof userOf>[0]) => ({ actor: userOf(request).id, from: request.ip });

  // bull-board in its own scope, so that the admin check covers its pages, assets and API alike.
  await app.register(async (scope) => {
    scope.addHook('preHandler', requirePermission('admin:queues'));
    // onSend: recorded before the answer leaves, like every audited act.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') await auditDashboardAct(ctx, request, reply.statusCode);
      return payload;
    });
    await deps.mountQueueDashboard(scope, DASHBOARD_PATH);
  });

  app.get('/metrics', { preHandler: requirePermission('admin:metrics'), schema: { tags: ['admin'], summary: 'Prometheus metrics (text format)' } }, async (_request, reply) => {
    const { contentType, body } = await admin.metrics.render(await gaugeSnapshot(deps));
    return reply.type(contentType).send(body);
  });

  app.get<{ Querystring: { queue?: string; limit?: number } }>(
    '/admin/jobs/failed',
    {
      preHandler: requirePermission('admin:queues'),
      schema: {
        tags: ['admin'], summary: 'failed jobs with their reasons, newest first (audited)',
        querystring: { type: 'object', additionalProperties: false, properties: { queue: { type: 'string', minLength: 1, maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 } } },
      },
    },
    async (request) => {
      const jobs = await listFailedJobs(deps, { queue: request.query.queue, limit: request.query.limit ?? 100 }, who(request));
      return { jobs: jobs.map(failedJobJson) };
    },
  );

  app.post<{ Body: { id?: string; queue?: string; allFailed?: boolean } }>(
    '/admin/jobs/retry',
    {
      preHandler: requirePermission('admin:queues'),
      schema: {
        tags: ['admin'], summary: 'retry one failed job (id, and queue when the id is in several) or every failed job (allFailed); audited',
        body: {
          type: 'object', additionalProperties: false,
          properties: { id: { type: 'string', minLength: 1, maxLength: 300 }, queue: { type: 'string', minLength: 1, maxLength: 200 }, allFailed: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const { id, queue, allFailed } = request.body;
      if (!id === !allFailed) throw new ApiError(400, 'invalid-input', 'give either "id" (one job) or "allFailed": true', 'id');
      try {
        const retried = await retryFailedJobs(deps, id ? { id, queue } : { allFailed: true, queue }, who(request));
        return { retried: retried.map(failedJobJson) };
      } catch (error) {
        if (error instanceof RetryRefused) throw new ApiError(error.code === 'not-found' ? 404 : 409, error.code, error.message, error.code === 'not-found' ? 'id' : 'queue');
        throw error;
      }
    },
  );

  app.get(
    '/admin/alerts',
    { preHandler: requirePermission('alerts:read'), schema: { tags: ['admin'], summary: 'active alerts, and those raised or cleared in the last 24 h' } },
    async (request) => {
      const now = clock.now();
      const [active, recent] = await Promise.all([admin.alerts.active(), admin.alerts.recent(new Date(now.getTime() - RECENT_ALERTS_MS), 500)]);
      const role = userOf(request).role;
      return { active: await visibleAlertItems(ctx.items, role, active.map(alertJson)), recent: await visibleAlertItems(ctx.items, role, recent.map(alertJson)) };
    },
  );
};
