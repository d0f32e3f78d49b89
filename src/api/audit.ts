import type { FastifyRequest } from 'fastify';
import { RequestError } from '../app/request-error.ts';
import type { AuditEvent } from '../ports/audit-log.ts';
import type { ApiContext } from './context.ts';

/** What a route says about an act; who, from where and when come from the request. */
export type RequestAudit = Pick<AuditEvent, 'action' | 'target' | 'result'> & Partial<Pick<AuditEvent, 'reason' | 'itemIds' | 'details'>>;

/**
 * Appends an audit event for this request (who, what, when, from where, why, result) to the chained log.
 * Awaited before the answer is sent: a read that cannot be recorded is not served.
 */
export async function auditRequest(ctx: ApiContext, request: FastifyRequest, event: RequestAudit): Promise<void> {
  await ctx.audit.append(
    {
      actor: request.user?.id ?? 'anonymous',
      action: event.action,
      target: event.target,
      reason: event.reason ?? null,
      result: event.result,
      from: request.ip,
      ...(event.itemIds ? { itemIds: event.itemIds } : {}),
      details: { via: request.user?.via ?? null, method: request.method, route: request.routeOptions.url ?? request.url, ...(event.details ?? {}) },
    },
    ctx.clock.now(),
  );
}

/**
 * Runs a use case and audits its refusal (unknown or too secret, a rule of who may, a state that forbids
 * it) before the caller hears of it: a refused attempt at evidence is recorded like a done one.
 */
export async function auditRefusals<T>(ctx: ApiContext, request: FastifyRequest, event: Omit<RequestAudit, 'result'>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RequestError) await auditRequest(ctx, request, { ...event, result: 'refused', details: { ...(event.details ?? {}), why: error.message } });
    throw error;
  }
}
