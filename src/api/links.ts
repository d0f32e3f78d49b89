import { newSecret, sha256Hex } from '../app/access/credentials.ts';
import { linkHolds } from '../app/access/links.ts';
import type { Derivative } from '../ports/media-catalog.ts';
import { sendExportPackage } from './export-package.ts';
import { sendObject } from './send-object.ts';
import type { ApiContext, RouteModule } from './context.ts';
import { ApiError } from './errors.ts';

/** A time-limited link (its token is the secret; only its SHA-256 is stored). */
export async function createLinkUrl(ctx: ApiContext, purpose: 'media' | 'export', subject: string, createdBy: string, expiresAt: Date): Promise<string> {
  const token = newSecret('evl');
  await ctx.links.addLink(sha256Hex(token), { purpose, subject, createdAt: ctx.clock.now(), createdBy, expiresAt });
  return `/links/${token}`;
}

/** The first of these derivative roles the recording has (thumbnail, else poster, ...), or 404. */
export async function derivativeOf(ctx: ApiContext, itemId: string, roles: string[]): Promise<Derivative> {
  const media = (await ctx.media.catalog.mediaOf([itemId])).get(itemId);
  for (const role of roles) {
    const found = media?.derivatives.find((d) => d.role === role);
    if (found) return found;
  }
  throw new ApiError(404, 'not-found', `recording ${itemId} has no ${roles[0]} yet (media ${media?.state ?? 'pending'})`);
}

/**
 * `/links/<token>`: checked at every use (`linkHolds`); a media link streams a proxy or poster with HTTP Range (its issue was audited; the
 * player's many range requests are not); an export link streams the package, each download audited.
 */
export const linkRoutes: RouteModule = (app, ctx) => {
  app.get<{ Params: { token: string } }>(
    '/links/:token',
    { schema: { tags: ['links'], summary: 'fetch what a time-limited link names (open: the link is the secret)', params: { type: 'object', properties: { token: { type: 'string', maxLength: 100 } } } } },
    async (request, reply) => {
      const link = await ctx.links.link(sha256Hex(request.params.token), ctx.clock.now());
      // A link whose holder may no longer receive what it names answers like an expired one.
      if (!link || !(await linkHolds(ctx, link))) throw new ApiError(404, 'link-expired', 'this link is unknown or has expired; ask for a new one');
      if (link.purpose === 'export') return sendExportPackage(ctx, request, reply, link);
      const [itemId, role] = link.subject.split('/') as [string, string];
      const d = await derivativeOf(ctx, itemId, [role]);
      return sendObject(ctx, request, reply, { key: d.key, versionId: d.versionId, size: d.size, contentType: d.contentType });
    },
  );
};
