import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PackageEntry } from '../app/cases/copy-requests.ts';
import { tarEnd, tarHeader, tarPadding, tarSize } from '../domain/tar.ts';
import type { Link } from '../ports/links.ts';
import { auditRequest } from './audit.ts';
import type { ApiContext } from './context.ts';
import { ApiError } from './errors.ts';

/**
 * Streams an export package as one tar file (`<request>-<package>/...`): manifest, SHA-256 list, custody
 * extract and the originals, read from their stored versions. Every download is an audit event.
 */
export async function sendExportPackage(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply, link: Link): Promise<FastifyReply> {
  const [requestId, packageId] = link.subject.split('/') as [string, string];
  const copy = await ctx.records.copyRequest(requestId);
  const packaged = copy?.events.find((e) => e.action === 'packaged' && e.details.packageId === packageId);
  if (!copy || !packaged) throw new ApiError(404, 'not-found', `export package ${packageId} of request ${requestId} is not recorded`);
  const entries = packaged.details.entries as PackageEntry[];
  await auditRequest(ctx, request, {
    action: 'copies:download', target: `copy-request:${requestId}`, result: 'ok', reason: copy.reason, itemIds: copy.itemIds,
    details: { packageId, party: copy.party, linkCreatedBy: link.createdBy },
  });
  const folder = `${requestId}-${packageId}`;
  const out = new PassThrough();
  reply
    .header('content-type', 'application/x-tar')
    .header('content-length', tarSize(entries.map((e) => e.size)))
    .header('content-disposition', `attachment; filename="evidence-copy-${folder}.tar"`)
    .header('cache-control', 'private, no-store');
  void (async () => {
    const mtime = ctx.clock.now();
    for (const entry of entries) {
      out.write(tarHeader(`${folder}/${entry.name}`, entry.size, mtime));
      for await (const chunk of await ctx.store.read(entry.object.key, entry.object.versionId)) {
        if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      }
      out.write(tarPadding(entry.size));
    }
    out.end(tarEnd);
  })().catch((error: Error) => {
    request.log.error({ err: error, requestId, packageId }, 'export package stream failed');
    out.destroy(error);
  });
  return reply.send(out);
}
