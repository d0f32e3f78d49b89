import type { PgPool } from '../../adapters/postgres/transaction.ts';
import { BullMediaFlows } from '../../adapters/bullmq-flows.ts';
import { FfmpegTools } from '../../adapters/ffmpeg/ffmpeg-tools.ts';
import { PgMediaCatalog } from '../../adapters/postgres/pg-media-catalog.ts';
import { SharpImages } from '../../adapters/sharp-images.ts';
import type { Config } from '../../config/schema.ts';
import type { MediaPorts } from './ports.ts';

/** The media pipeline's adapters: its catalog tables on the shared pool, its queues, ffmpeg and sharp. */
export function mediaPorts(config: Config, pool: PgPool, redisUrl: string, retag: MediaPorts['retag']): MediaPorts {
  const s = config.media;
  return {
    catalog: new PgMediaCatalog(pool),
    flows: new BullMediaFlows({ redisUrl, mediaQueuePrefix: s.queuePrefix, attempts: s.attempts, backoffMs: s.backoffMs }),
    tools: new FfmpegTools(s.probeTimeoutMs),
    images: new SharpImages(),
    retag,
  };
}
