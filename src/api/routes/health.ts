import type { RouteModule } from '../server.ts';

/** Liveness: the process answers. Open, like login: a load balancer has no token. */
export const healthRoutes: RouteModule = (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
};
