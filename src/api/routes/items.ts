import type { FastifyRequest } from 'fastify';
import { revokeLinksOf } from '../../app/access/links.ts';
import { tagEventJson } from '../../app/tagging/contracts.ts';
import { type Action, can, canSee, checkLevel, levels, visibleLevels } from '../../domain/permissions.ts';
import { clampPageSize, type Cursor, decodeCursor, encodeCursor, type SearchFilters, type SortKey, sortKeys } from '../../domain/search.ts';
import type { DerivativeRole } from '../../domain/media-plan.ts';
import type { ItemRow } from '../../ports/item-search.ts';
import { auditRequest } from '../audit.ts';
import { requireClearance, requirePermission, unknownRecording, userOf } from '../auth.ts';
import { idParams, itemApiJson, schemas, trailEntryJson } from '../json.ts';
import { createLinkUrl, derivativeOf } from '../links.ts';
import { sendObject } from '../send-object.ts';
import { visibleTrail } from '../visibility.ts';
import type { ApiContext, RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';

interface SearchQueryString {
  case?: string; officer?: string; device?: string; category?: string; phase?: string; unit?: string;
  since?: string; until?: string; sha256?: string; status?: string; untagged?: boolean;
  sort?: SortKey; cursor?: string; limit?: number;
}

const searchQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    case: schemas.code, officer: schemas.code, device: schemas.code, category: schemas.code, phase: schemas.code, unit: schemas.code,
    since: { ...schemas.dateTime, description: 'captured at or after' },
    until: { ...schemas.dateTime, description: 'captured before' },
    sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    status: schemas.code,
    untagged: { type: 'boolean', description: 'true: only recordings nothing tagged yet' },
    sort: { type: 'string', enum: [...sortKeys], default: '-capturedAt' },
    cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
    limit: { type: 'integer', description: 'page size; clamped to [1, api.maxPageSize]' },
  },
} as const;

/** A recording the caller names: 404 if unknown or above their clearance (the two answer alike). */
export async function visibleItem(ctx: ApiContext, request: FastifyRequest, id: string, action: Action): Promise<ItemRow> {
  const item = await ctx.items.item(id);
  if (!item) throw unknownRecording(id);
  await requireClearance(request, action, item);
  return item;
}

/** Search, detail, thumbnail, playback links, original download and confidentiality of recordings. */
export const itemRoutes: RouteModule = (app, ctx) => {
  const { config, clock, store } = ctx;

  app.get<{ Querystring: SearchQueryString }>(
    '/api/items',
    { preValidation: requirePermission('items:search'), schema: { tags: ['items'], summary: 'search recordings (newest first by default), a page at a time', querystring: searchQuerySchema } },
    async (request) => {
      const q = request.query;
      const user = userOf(request);
      const sort = q.sort ?? '-capturedAt';
      let after: Cursor | null = null;
      if (q.cursor) {
        try {
          after = decodeCursor(q.cursor, sort);
        } catch (error) {
          throw new ApiError(400, 'invalid-input', (error as Error).message, 'cursor');
        }
      }
      const filters: SearchFilters = {
        caseId: q.case, officerId: q.officer, deviceSerial: q.device, category: q.category, phase: q.phase, unit: q.unit,
        since: q.since ? new Date(q.since) : undefined, until: q.until ? new Date(q.until) : undefined,
        sha256: q.sha256, status: q.status, untagged: q.untagged,
      };
      const limit = clampPageSize(q.limit, config.api.pageSize, config.api.maxPageSize);
      const { rows, more } = await ctx.items.search({ filters, levels: visibleLevels(user.role), sort, after, limit });
      const last = rows.at(-1);
      const nextCursor = more && last ? encodeCursor({ sort, value: sort.endsWith('securedAt') ? last.securedAt : last.capturedAt, id: last.id }) : null;
      const { cursor: _cursor, ...asked } = q;
      await auditRequest(ctx, request, { action: 'items:search', target: `search:${JSON.stringify(asked)}`, result: 'ok', itemIds: rows.map((r) => r.id) });
      return { items: rows.map(itemApiJson), nextCursor, limit };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/items/:id',
    { preValidation: requirePermission('items:read'), schema: { tags: ['items'], summary: "a recording: manifest, tags and their history, confidentiality, media, custody trail", params: idParams } },
    async (request) => {
      const item = await visibleItem(ctx, request, request.params.id, 'items:read');
      const user = userOf(request);
      const [manifest, tagHistory, confidentialityHistory, media, trail] = await Promise.all([
        readJson(ctx, item.objects.manifest),
        ctx.tags.tagHistory(item.id),
        ctx.items.confidentialityHistory(item.id),
        ctx.media.catalog.mediaOf([item.id]),
        can(user.role, 'trail:read') ? ctx.audit.trail({ itemId: item.id }).then((t) => visibleTrail(ctx.items, user.role, t)) : null,
      ]);
      await auditRequest(ctx, request, { action: 'items:read', target: `item:${item.id}`, result: 'ok', itemIds: [item.id] });
      const itemMedia = media.get(item.id);
      return {
        item: itemApiJson(item),
        manifest,
        tagHistory: tagHistory.map(tagEventJson),
        confidentialityHistory: confidentialityHistory.map((c) => ({ at: c.at.toISOString(), actor: c.actor, reason: c.reason, previous: c.previous, level: c.level })),
        media: itemMedia
          ? { state: itemMedia.state, reason: itemMedia.reason, derivatives: itemMedia.derivatives.map((d) => ({ role: d.role, contentType: d.contentType, size: d.size, width: d.width, height: d.height, durationSec: d.durationSec })) }
          : null,
        custodyTrail: trail ? trail.map(trailEntryJson) : null,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/items/:id/thumbnail',
    { preValidation: requirePermission('items:play'), schema: { tags: ['items'], summary: "a recording's thumbnail image", params: idParams } },
    async (request, reply) => {
      const item = await visibleItem(ctx, request, request.params.id, 'items:play');
      const derivative = await derivativeOf(ctx, item.id, ['thumbnail', 'poster', 'waveform']);
      await auditRequest(ctx, request, { action: 'items:play', target: `item:${item.id}/thumbnail`, result: 'ok', itemIds: [item.id] });
      return sendObject(ctx, request, reply, { key: derivative.key, versionId: derivative.versionId, size: derivative.size, contentType: derivative.contentType });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/items/:id/playback',
    { preValidation: requirePermission('items:play'), schema: { tags: ['items'], summary: 'short-lived links to play the proxy (HTTP Range) and show its poster', params: idParams } },
    async (request) => {
      const item = await visibleItem(ctx, request, request.params.id, 'items:play');
      const media = (await ctx.media.catalog.mediaOf([item.id])).get(item.id);
      const roles = new Set(media?.derivatives.map((d) => d.role) ?? []);
      const proxyRole = roles.has('proxy') ? 'proxy' : roles.has('display') ? 'display' : null;
      if (!proxyRole) {
        throw new ApiError(409, 'not-playable', `recording ${item.id} has no proxy yet (media ${media?.state ?? 'pending'}${media?.reason ? `: ${media.reason}` : ''}); the original can be downloaded with a reason`);
      }
      const expiresAt = new Date(clock.now().getTime() + config.api.playbackUrlSeconds * 1000);
      const link = (role: DerivativeRole) => (roles.has(role) ? createLinkUrl(ctx, 'media', `${item.id}/${role}`, userOf(request).id, expiresAt) : Promise.resolve(null));
      const [proxy, poster] = await Promise.all([link(proxyRole), link('poster')]);
      await auditRequest(ctx, request, { action: 'items:play', target: `item:${item.id}`, result: 'ok', itemIds: [item.id], details: { expiresAt: expiresAt.toISOString() } });
      return { proxy, poster, kind: item.kind, role: proxyRole, expiresAt: expiresAt.toISOString() };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { reason?: string } }>(
    '/api/items/:id/original',
    {
      preValidation: requirePermission('items:download'),
      schema: {
        tags: ['items'], summary: 'download the original; a reason is required and recorded', params: idParams,
        querystring: { type: 'object', properties: { reason: schemas.reason } },
      },
    },
    async (request, reply) => {
      const item = await visibleItem(ctx, request, request.params.id, 'items:download');
      const reason = request.query.reason?.trim();
      if (!reason) {
        await auditRequest(ctx, request, { action: 'items:download', target: `item:${item.id}`, result: 'refused', itemIds: [item.id], details: { why: 'no reason' } });
        throw new ApiError(400, 'reason-required', 'downloading an original needs a reason (?reason=...); it is recorded in the audit log', 'reason');
      }
      const info = await store.stat(item.objects.original, item.objects.originalVersion);
      if (!info) throw new Error(`original ${item.objects.original} of ${item.id} is missing from the bucket`);
      await auditRequest(ctx, request, { action: 'items:download', target: `item:${item.id}`, result: 'ok', reason, itemIds: [item.id], details: { sha256: item.sha256 } });
      const name = `${item.id}-${item.originalPath.split('/').at(-1) ?? 'original'}`;
      return sendObject(ctx, request, reply, { key: info.key, versionId: info.versionId, size: info.size, contentType: 'application/octet-stream', downloadName: name });
    },
  );

  app.put<{ Params: { id: string }; Body: { level: string; reason: string } }>(
    '/api/items/:id/confidentiality',
    {
      preValidation: requirePermission('items:classify'),
      schema: {
        tags: ['items'], summary: "change a recording's confidentiality level (appended, with the reason)", params: idParams,
        body: { type: 'object', required: ['level', 'reason'], additionalProperties: false, properties: { level: { type: 'string', enum: [...levels] }, reason: schemas.reason } },
      },
    },
    async (request) => {
      const user = userOf(request);
      const item = await visibleItem(ctx, request, request.params.id, 'items:classify');
      const level = checkLevel(request.body.level);
      if (!canSee(user.role, level)) {
        await auditRequest(ctx, request, { action: 'items:classify', target: `item:${item.id}`, result: 'refused', itemIds: [item.id], details: { level } });
        throw new ApiError(403, 'forbidden', `your role (${user.role}) may not classify a recording as ${level}: you could no longer read it`, 'level');
      }
      const change = await ctx.items.setConfidentiality({ itemId: item.id, level, at: clock.now(), actor: user.id, reason: request.body.reason });
      const linksRevoked = await revokeLinksOf(ctx, item.id, clock.now());
      await auditRequest(ctx, request, {
        action: 'items:classify', target: `item:${item.id}`, result: 'ok', reason: request.body.reason, itemIds: [item.id], details: { previous: change?.previous, level, linksRevoked },
      });
      return { id: item.id, previous: change?.previous ?? item.confidentiality, level };
    },
  );
};

async function readJson(ctx: ApiContext, key: string): Promise<unknown> {
  const stream = await ctx.store.read(key);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
