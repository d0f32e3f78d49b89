import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sha256Hex } from '../app/access/credentials.ts';
import type { Person } from '../domain/people.ts';
import type { TokenScope } from '../ports/credentials.ts';
import { type Action, actions, can, canSee, type Level } from '../domain/permissions.ts';
import { auditRequest } from './audit.ts';
import type { ApiContext } from './context.ts';
import { ApiError } from './errors.ts';

/** The authenticated caller: a person from the register (their current role), and how they proved it. */
export interface ApiUser extends Person {
  via: 'token' | 'session';
  /** A `metrics` token reaches GET /metrics only, whatever its holder's role. */
  scope: TokenScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` (through the hooks below); null for anonymous requests. */
    user: ApiUser | null;
  }
  interface FastifyInstance {
    /** The API's ports, for hooks that only have the request (`request.server.apiContext`). */
    apiContext: ApiContext;
  }
}

export const SESSION_COOKIE = 'evidock_session';

const resolved = new WeakSet<FastifyRequest>();

/**
 * A route hook that authenticates and authorizes. Use it as `preValidation` so a caller who may not use
 * a route learns that (401/403) before anything about their input; it works as `preHandler` too.
 */
export type AuthHook = (request: FastifyRequest) => Promise<void>;

/**
 * Installs authentication on the server: cookies, `request.user`. Routes then say what they need with
 * `requireUser()` or `requirePermission(action)` as a `preValidation` hook. No route is open
 * unless it uses none of them (health, login, static files of the web page).
 */
export async function installAuth(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.decorate('apiContext', ctx);
  await app.register(fastifyCookie);
  app.decorateRequest('user', null);
}

/**
 * Finds the caller from `Authorization: Bearer <token>` or the session cookie. A bearer token that is not
 * valid is an error (the client meant to authenticate); a stale cookie is just no session.
 */
export async function authenticate(request: FastifyRequest): Promise<ApiUser | null> {
  if (resolved.has(request)) return request.user;
  const ctx = request.server.apiContext;
  const now = ctx.clock.now();
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"', 'authorization');
    const person = await ctx.credentials.personByToken(sha256Hex(match[1]!), now);
    if (!person) throw new ApiError(401, 'unauthenticated', 'the API token is unknown, expired or revoked; ask an admin for a new one (evidock tokens create)', 'authorization');
    request.user = { ...person, via: 'token' };
  } else {
    const cookie = request.cookies[SESSION_COOKIE];
    const person = cookie ? await ctx.credentials.personBySession(sha256Hex(cookie), now) : null;
    if (person) {
      checkSameOrigin(request);
      request.user = { ...person, via: 'session', scope: 'full' };
    }
  }
  resolved.add(request);
  return request.user;
}

/**
 * The session cookie is SameSite=Strict, so other sites' pages do not send it; a changing request that
 * still names a foreign Origin is refused as well (older browsers).
 */
function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (request.method === 'GET' || request.method === 'HEAD' || !origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    // `Origin: null` (a sandboxed or file page) or garbage: not this site, and not a server error.
    throw new ApiError(400, 'invalid-input', `the Origin header "${origin.slice(0, 100)}" is not a site's address; a changing request with the session cookie must come from this site`, 'origin');
  }
  if (host !== request.headers.host) throw new ApiError(403, 'cross-site', `a request from ${origin} may not use this site's session`);
}

async function refuse(request: FastifyRequest, status: 401 | 403, action: string, evidence: boolean, message: string): Promise<never> {
  if (evidence) {
    // A refusal on a recording's route shows in that recording's trail.
    const id = (request.params as { id?: string } | undefined)?.id;
    const item = id && request.routeOptions.url?.startsWith('/api/items/:id') ? id : null;
    await auditRequest(request.server.apiContext, request, {
      action, target: item ? `item:${item}` : request.url, result: 'refused', ...(item ? { itemIds: [item] } : {}), details: { status, why: message },
    });
  }
  throw new ApiError(status, status === 401 ? 'unauthenticated' : 'forbidden', message);
}

const LOGIN_HINT = 'log in (POST /login) or send "Authorization: Bearer <token>"';

/** Any authenticated person. */
export function requireUser(): AuthHook {
  return async (request) => {
    if (!(await authenticate(request))) await refuse(request, 401, 'request', false, `authentication required: ${LOGIN_HINT}`);
  };
}

/** The action must be allowed to the caller's role by the table in src/domain/permissions.ts. Refusals of evidence actions are audited. */
export function requirePermission(action: Action): AuthHook {
  const { evidence, what } = actions[action];
  return async (request) => {
    const user = await authenticate(request);
    if (!user) return refuse(request, 401, action, evidence, `authentication required: ${LOGIN_HINT}`);
    if (!can(user.role, action)) await refuse(request, 403, action, evidence, `your role (${user.role}) may not ${what} (${action})`);
    if (user.scope === 'metrics' && action !== 'admin:metrics') await refuse(request, 403, action, evidence, `this token's scope is metrics: it may only read GET /metrics, not ${what} (${action})`);
  };
}

/** The caller of a route behind one of the hooks above. */
export function userOf(request: FastifyRequest): ApiUser {
  if (!request.user) throw new Error(`route ${request.routeOptions.url} has no authentication hook`);
  return request.user;
}

/**
 * A recording above the caller's clearance answers exactly as one that does not exist (404, same body), so
 * neither its existence nor its level leaks; the attempt is audited as refused.
 */
export async function requireClearance(request: FastifyRequest, action: Action, item: { id: string; confidentiality: Level }): Promise<void> {
  const user = userOf(request);
  if (canSee(user.role, item.confidentiality)) return;
  await auditRequest(request.server.apiContext, request, { action, target: `item:${item.id}`, itemIds: [item.id], result: 'refused', details: { status: 404, why: 'confidentiality' } });
  throw unknownRecording(item.id);
}

export const unknownRecording = (id: string): ApiError => new ApiError(404, 'not-found', `no recording ${id}`, 'id');
