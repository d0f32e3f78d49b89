import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { RouteModule } from '../context.ts';

/**
 * The web page (plain HTML and JavaScript in web/, no build step), served open like the login route: it
 * holds no evidence; everything it shows comes from the authenticated API.
 */
export const webRoutes: RouteModule = async (app) => {
  await app.register(fastifyStatic, {
    root: join(import.meta.dirname, '../../../web'),
    prefix: '/',
    wildcard: false,
    // The page's scripts may only come from this server: injected markup could not load or run others.
    setHeaders: (res) => {
      res.header('content-security-policy', "default-src 'self'; img-src 'self' blob:; media-src 'self'; object-src 'none'; frame-ancestors 'none'");
      res.header('x-content-type-options', 'nosniff');
    },
  });
};
