import { tagOutcomeJson } from '../../app/tagging/contracts.ts';
import { clampPageSize } from '../../domain/search.ts';
import { auditRequest } from '../audit.ts';
import { requirePermission, userOf } from '../auth.ts';
import { idParams, schemas, trailEntryJson } from '../json.ts';
import type { RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';
import { asUserInput } from '../user-input.ts';
import { visibleTrail } from '../visibility.ts';
import { visibleItem } from './items.ts';

interface TagBody {
  caseId?: string;
  category?: string;
  phase?: string;
  officerId?: string;
  /** Hand the recording back to matching (a person's tags are dropped). */
  auto?: boolean;
  reason: string;
}

/** Tag changes (a person's tag wins over matching, issue 5), custody trails and the audit log. */
export const tagRoutes: RouteModule = (app, ctx) => {
  app.patch<{ Params: { id: string }; Body: TagBody }>(
    '/api/items/:id/tags',
    {
      preValidation: requirePermission('items:tag'),
      schema: {
        tags: ['items'], summary: "change a recording's tags (appended with who, when, why; the history keeps every change)", params: idParams,
        body: {
          type: 'object', required: ['reason'], additionalProperties: false,
          properties: { caseId: schemas.code, category: schemas.code, phase: schemas.code, officerId: schemas.badge, auto: { type: 'boolean' }, reason: schemas.reason },
        },
      },
    },
    async (request) => {
      const user = userOf(request);
      const item = await visibleItem(ctx, request, request.params.id, 'items:tag');
      const { reason, auto, ...change } = request.body;
      if (!auto && Object.keys(change).length === 0) throw new ApiError(400, 'invalid-input', 'name at least one of caseId, category, phase, officerId (or auto: true)', 'caseId');
      const act = { actor: user.id, at: ctx.clock.now(), reason };
      const tagging = ctx.tagging;
      const outcome = await asUserInput(change.category ? 'category' : change.phase ? 'phase' : 'caseId', () =>
        auto ? tagging.release(item.id, act) : tagging.tagManually(item.id, change, act),
      );
      await auditRequest(ctx, request, { action: 'items:tag', target: `item:${item.id}`, result: 'ok', reason, itemIds: [item.id], details: { change, auto: auto ?? false, changed: outcome.changed } });
      return tagOutcomeJson(outcome);
    },
  );

  app.get<{ Params: { badge: string } }>(
    '/api/people/:badge/trail',
    {
      preValidation: requirePermission('trail:read'),
      schema: { tags: ['audit'], summary: "a person's trail: what they did, and what happened to their recordings", params: { type: 'object', properties: { badge: schemas.badge } } },
    },
    async (request) => {
      const { badge } = request.params;
      if (!(await ctx.registry.person(badge))) throw new ApiError(404, 'not-found', `no person with badge ${badge}`, 'badge');
      const trail = await visibleTrail(ctx.items, userOf(request).role, await ctx.audit.trail({ person: badge }));
      await auditRequest(ctx, request, { action: 'trail:read', target: `person:${badge}`, result: 'ok' });
      return trail.map(trailEntryJson);
    },
  );

  app.get<{ Querystring: { afterSeq?: number; limit?: number } }>(
    '/api/audit',
    {
      preValidation: requirePermission('audit:read'),
      schema: {
        tags: ['audit'], summary: 'the chained log (custody and audit events) in order, a page at a time',
        querystring: { type: 'object', additionalProperties: false, properties: { afterSeq: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer' } } },
      },
    },
    async (request) => {
      const limit = clampPageSize(request.query.limit, ctx.config.api.pageSize, ctx.config.api.maxPageSize);
      const entries = await ctx.audit.entries(request.query.afterSeq ?? 0, limit);
      await auditRequest(ctx, request, { action: 'audit:read', target: `log:${request.query.afterSeq ?? 0}+${entries.length}`, result: 'ok' });
      return { entries: entries.map((e) => ({ ...trailEntryJson(e), prevHash: e.prevHash, hash: e.hash })), nextAfterSeq: entries.at(-1)?.seq ?? null };
    },
  );
};
