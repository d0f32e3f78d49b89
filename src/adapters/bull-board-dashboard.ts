import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { BullJobAdmin } from './bullmq-admin.ts';

/**
 * bull-board on every evidock queue, mounted under `basePath` of `app` (a scope the caller has put its
 * authentication on). Retrying, removing and promoting jobs work from it as in any bull-board.
 */
export async function mountQueueDashboard(app: FastifyInstance, admin: BullJobAdmin, basePath: string): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  const adapters = async () => (await admin.queueNames()).map((name) => new BullMQAdapter(admin.queue(name)));
  const board = createBullBoard({ queues: await adapters(), serverAdapter, options: { uiConfig: { boardTitle: 'evidock queues' } } });
  // Queues appear as dock hosts start: the list the page polls is read from Redis each time (one SCAN).
  const listUrl = `${basePath}/api/queues`;
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' && request.url.split('?')[0] === listUrl) board.replaceQueues(await adapters());
  });
  await app.register(serverAdapter.registerPlugin() as Parameters<FastifyInstance['register']>[0], { prefix: basePath });
}
