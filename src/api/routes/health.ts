import type { RouteModule } from '../context.ts';

/**
 * Liveness and readiness. Open, like login: a load balancer or supervisor has no token. Readiness names
 * each dependency and its state (never a credential), and answers 503 when one is not ready.
 */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'the process answers' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['health'], summary: 'Redis, PostgreSQL and MinIO answer and the schema is current; 503 otherwise' } }, async (_request, reply) => {
    const states = await ctx.admin.readiness.check();
    const ready = states.every((s) => s.ok);
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      dependencies: Object.fromEntries(states.map((s) => [s.name, { ok: s.ok, detail: s.detail, ms: s.ms }])),
    });
  });
};
