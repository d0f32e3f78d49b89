import { visibleIds } from '../../app/access/clearance.ts';
import { createCopyRequest, decideCopyRequest, packageCopyRequest } from '../../app/cases/copy-requests.ts';
import { copyStatus } from '../../domain/copy-requests.ts';
import type { CopyRequest } from '../../ports/case-records.ts';
import { auditRefusals, auditRequest } from '../audit.ts';
import { requirePermission, userOf } from '../auth.ts';
import { schemas } from '../json.ts';
import { createLinkUrl } from '../links.ts';
import type { RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';

function copyJson(r: CopyRequest) {
  return {
    id: r.id, party: r.party, reason: r.reason, itemIds: r.itemIds, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy,
    status: copyStatus(r.events),
    events: r.events.map((e) => ({ action: e.action, at: e.at.toISOString(), actor: e.actor, reason: e.reason, packageId: (e.details.packageId as string | undefined) ?? null })),
  };
}

const requestParams = { type: 'object', required: ['id'], properties: { id: schemas.itemId } } as const;

/** Copy requests for a party (B8): created → approved or refused by the head → packaged behind a time-limited link. */
export const copyRoutes: RouteModule = (app, ctx) => {
  const services = ctx;

  app.get<{ Querystring: { status?: string } }>(
    '/api/copy-requests',
    {
      preValidation: requirePermission('copies:read'),
      schema: { tags: ['copies'], summary: 'copy requests, newest first', querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'approved', 'refused', 'packaged'] } } } },
    },
    async (request) => {
      // A request naming a recording above the caller's clearance is not listed: its ids would tell of it.
      const all = await services.records.copyRequests();
      const visible = await visibleIds(services.items, userOf(request).role, all.flatMap((r) => r.itemIds));
      const rows = all
        .filter((r) => r.itemIds.every((id) => visible.has(id)))
        .map(copyJson)
        .filter((r) => !request.query.status || r.status === request.query.status);
      await auditRequest(ctx, request, { action: 'copies:read', target: 'copy-requests', result: 'ok', details: { status: request.query.status ?? null } });
      return rows;
    },
  );

  app.post<{ Body: { party: string; reason: string; itemIds: string[] } }>(
    '/api/copy-requests',
    {
      preValidation: requirePermission('copies:create'),
      schema: {
        tags: ['copies'], summary: 'ask for a copy of recordings for a party (the head decides)',
        body: {
          type: 'object', required: ['party', 'reason', 'itemIds'], additionalProperties: false,
          properties: { party: { type: 'string', minLength: 1, maxLength: 500 }, reason: schemas.reason, itemIds: { type: 'array', minItems: 1, maxItems: 1000, items: schemas.itemId } },
        },
      },
    },
    async (request, reply) => {
      const { party, reason, itemIds } = request.body;
      const created = await auditRefusals(ctx, request, { action: 'copies:create', target: 'copy-requests', reason, itemIds, details: { party } }, () =>
        createCopyRequest(ctx, party, reason, itemIds, userOf(request)),
      );
      await auditRequest(ctx, request, { action: 'copies:create', target: `copy-request:${created.id}`, result: 'ok', reason, itemIds: created.itemIds, details: { party } });
      return reply.status(201).send(copyJson(created));
    },
  );

  for (const [path, decision] of [['approve', 'approved'], ['refuse', 'refused']] as const) {
    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      `/api/copy-requests/:id/${path}`,
      {
        preValidation: requirePermission('copies:decide'),
        schema: {
          tags: ['copies'], summary: `${path} a pending copy request (the agency head, B8)`, params: requestParams,
          body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: schemas.reason } },
        },
      },
      async (request) => {
        const target = `copy-request:${request.params.id}`;
        const decided = await auditRefusals(ctx, request, { action: 'copies:decide', target, reason: request.body.reason, details: { decision } }, () =>
          decideCopyRequest(ctx, request.params.id, decision, request.body.reason, userOf(request)),
        );
        await auditRequest(ctx, request, { action: 'copies:decide', target: `copy-request:${decided.id}`, result: 'ok', reason: request.body.reason, itemIds: decided.itemIds, details: { decision } });
        return copyJson(decided);
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    '/api/copy-requests/:id/package',
    { preValidation: requirePermission('copies:export'), schema: { tags: ['copies'], summary: 'build the export package of an approved request; returns its time-limited link', params: requestParams } },
    async (request) => {
      const user = userOf(request);
      const copy = await services.records.copyRequest(request.params.id);
      if (!copy) throw new ApiError(404, 'not-found', `no copy request ${request.params.id}`, 'id');
      const { packageId, entries } = await auditRefusals(ctx, request, { action: 'copies:export', target: `copy-request:${copy.id}`, itemIds: copy.itemIds }, () =>
        packageCopyRequest(ctx, copy.id, user),
      );
      const expiresAt = new Date(ctx.clock.now().getTime() + ctx.config.api.exportLinkHours * 3600_000);
      const url = await createLinkUrl(ctx, 'export', `${copy.id}/${packageId}`, user.id, expiresAt);
      await auditRequest(ctx, request, { action: 'copies:export', target: `copy-request:${copy.id}`, result: 'ok', itemIds: copy.itemIds, details: { packageId, expiresAt: expiresAt.toISOString() } });
      return { requestId: copy.id, packageId, url, expiresAt: expiresAt.toISOString(), files: entries.map((e) => ({ name: e.name, size: e.size })) };
    },
  );
};
