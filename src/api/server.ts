import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { RequestError } from '../app/request-error.ts';
import { installAuth } from './auth.ts';
import { installOpenApi } from './openapi.ts';
import { linkRoutes } from './links.ts';
import { caseRoutes } from './routes/cases.ts';
import { copyRoutes } from './routes/copies.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { loginRoutes } from './routes/login.ts';
import { registerRoutes } from './routes/register.ts';
import { tagRoutes } from './routes/tags.ts';
import { uiRoutes } from './routes/ui.ts';
import { webRoutes } from './routes/web.ts';
import type { ApiContext, RouteModule } from './context.ts';
import { ApiError, type ApiErrorBody } from './errors.ts';

/** Route modules, one per area; each registers its own routes (and declares its auth and roles). */
const routeModules: RouteModule[] = [healthRoutes, loginRoutes, adminRoutes, itemRoutes, tagRoutes, linkRoutes, registerRoutes, caseRoutes, copyRoutes, uiRoutes, webRoutes];

/** Version of the API document; fields are only ever added (docs/api.md). */
export const API_VERSION = '1.0.0';

/**
 * Every answer carries it (helmet: also nosniff, frame-ancestors, no referrer to other sites). Scripts
 * only from this origin and never inline (the web page and /docs load theirs as files); styles may be
 * inline because Swagger UI sets some; media and images from this origin or the page's own blobs.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/** A link's token is its credential: never written to a log line. */
export const redactUrl = (url: string): string => url.replace(/\/links\/[^/?#]+/g, '/links/[redacted]').replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');

async function logRequest(request: FastifyRequest, reply: { statusCode: number; elapsedTime: number }): Promise<void> {
  request.log.info({ method: request.method, url: redactUrl(request.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime), from: request.ip }, 'request completed');
}

const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(hasNul) : value !== null && typeof value === 'object' ? Object.values(value).some(hasNul) : false;

/** A NUL byte is in no badge, id, filter or reason, and PostgreSQL refuses it in text: a 400, not a 500. */
async function refuseNulBytes(request: FastifyRequest): Promise<void> {
  for (const [field, value] of [['query', request.query], ['params', request.params], ['body', request.body]] as const) {
    if (hasNul(value)) throw new ApiError(400, 'invalid-input', `the request's ${field} holds a NUL byte; remove it`, field);
  }
}

export async function buildApiServer(ctx: ApiContext): Promise<FastifyInstance> {
  // Fastify's logger type is a structural subset of pino's: the cast only narrows the generic.
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'api' }) as FastifyBaseLogger,
    // Behind a TLS-terminating proxy the client's address (audited as "from where") is in X-Forwarded-For.
    trustProxy: ctx.config.api.trustProxy,
    // An unknown parameter or field is refused (400 naming it), not silently dropped: a typo in a filter
    // must not widen a search.
    ajv: { customOptions: { removeAdditional: false } },
    // Our own request line instead of Fastify's: its url would carry link tokens (see logRequest).
    disableRequestLogging: true,
  }) as unknown as FastifyInstance;
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: contentSecurityPolicy } });
  app.addHook('preHandler', refuseNulBytes);
  app.addHook('onResponse', logRequest);
  app.setErrorHandler((error: FastifyError | ApiError | RequestError, request, reply) => {
    if (error instanceof ApiError) {
      const body: ApiErrorBody = { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
      return reply.status(error.statusCode).send(body);
    }
    if (error instanceof RequestError) {
      const status = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 }[error.kind];
      const code = { invalid: 'invalid-input', forbidden: 'forbidden', 'not-found': 'not-found', conflict: 'conflict' }[error.kind];
      return reply.status(status).send({ code, message: error.message, ...(error.field ? { field: error.field } : {}) });
    }
    if (error.validation) {
      const first = error.validation[0];
      const field = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      return reply.status(400).send({ code: 'invalid-input', message: error.message, ...(field ? { field } : {}) });
    }
    if (error.statusCode && error.statusCode < 500) return reply.status(error.statusCode).send({ code: error.code ?? 'bad-request', message: error.message });
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ code: 'internal', message: 'internal error; the server log has the details' });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'not-found', message: `no route ${request.method} ${request.url}` }));
  await installOpenApi(app, API_VERSION);
  await installAuth(app, ctx);
  for (const register of routeModules) await register(app, ctx);
  return app;
}
