import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseRange } from '../domain/byte-range.ts';
import type { ApiContext } from './context.ts';
import { ApiError } from './errors.ts';

export interface ObjectToSend {
  key: string;
  versionId: string | null;
  size: number;
  contentType: string;
  /** Set: offered as a download under this name; unset: shown inline (players, images). */
  downloadName?: string;
}

/** Streams a stored object, honouring a single HTTP Range (players seek; downloads resume). */
export async function sendObject(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply, object: ObjectToSend): Promise<FastifyReply> {
  const range = parseRange(request.headers.range, object.size);
  reply.header('accept-ranges', 'bytes').header('content-type', object.contentType).header('cache-control', 'private, no-store');
  if (object.downloadName) reply.header('content-disposition', `attachment; filename="${object.downloadName.replace(/[^\w.-]/g, '_')}"`);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${object.size}`);
    throw new ApiError(416, 'range-not-satisfiable', `the object has ${object.size} bytes; the Range header asks for bytes outside it`, 'range');
  }
  if (range === null) {
    reply.header('content-length', object.size);
    return reply.send(await ctx.store.read(object.key, object.versionId));
  }
  const length = range.end - range.start + 1;
  reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${object.size}`).header('content-length', length);
  return reply.send(await ctx.ranges.readRange(object.key, object.versionId, range.start, length));
}
