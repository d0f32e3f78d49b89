import { login, recordFailedLogin, sha256Hex } from '../../app/access/credentials.ts';
import { LoginThrottle } from '../login-throttle.ts';
import { actionsOf } from '../../domain/permissions.ts';
import { requireUser, SESSION_COOKIE, userOf } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';

/** Web login: badge + password → an httpOnly, SameSite=Strict session cookie. Open, like health. */
export const loginRoutes: RouteModule = (app, ctx) => {
  const { config, clock } = ctx;
  const ttlMs = config.api.sessionTtlMinutes * 60_000;
  const throttle = new LoginThrottle({ freeFailures: config.api.loginFreeFailures, delayMs: config.api.loginDelayMs, maxDelayMs: config.api.loginMaxDelayMs });

  app.post<{ Body: { badge: string; password: string } }>(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'log in with badge and password; sets the session cookie',
        body: {
          type: 'object',
          required: ['badge', 'password'],
          additionalProperties: false,
          properties: { badge: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const { badge, password } = request.body;
      const now = clock.now();
      const keys = [`badge:${badge.trim().toLowerCase()}`, `addr:${request.ip}`];
      const waitMs = throttle.retryIn(keys, now.getTime());
      if (waitMs > 0) {
        // Refused before the password is looked at: a guesser learns nothing, and costs no scrypt.
        await recordFailedLogin(ctx, badge.trim() || '(invalid badge)', null, { now, from: request.ip }, 'throttled');
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        throw new ApiError(429, 'too-many-attempts', `too many failed logins for this badge or from this address; try again in ${Math.ceil(waitMs / 1000)} s`);
      }
      const session = await login(ctx, badge, password, { now, ttlMs, from: request.ip });
      if (!session) {
        throttle.failed(keys, now.getTime());
        throw new ApiError(401, 'login-failed', 'badge or password is wrong (an admin sets passwords with "evidock passwords set")');
      }
      throttle.succeeded(keys);
      reply.setCookie(SESSION_COOKIE, session.secret, {
        httpOnly: true, sameSite: 'strict', secure: config.api.secureCookie, path: '/', expires: session.expiresAt,
      });
      const { person } = session;
      return { id: person.id, name: person.name, unit: person.unit, role: person.role, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post('/logout', { schema: { tags: ['auth'], summary: 'end the web session' } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await ctx.credentials.endSession(sha256Hex(cookie), clock.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { loggedOut: true };
  });

  app.get('/api/me', { preValidation: requireUser(), schema: { tags: ['auth'], summary: 'the caller, their role and what it allows' } }, async (request) => {
    const user = userOf(request);
    return { id: user.id, name: user.name, unit: user.unit, role: user.role, via: user.via, actions: actionsOf(user.role) };
  });
};
