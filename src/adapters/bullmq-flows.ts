import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobId, type MediaJobName, type MediaJobPayload, queueFor } from '../domain/jobs.ts';
import type { Logger } from '../log.ts';
import type { MediaFlows } from '../ports/media-flows.ts';
import { bullConnection, jobOptions } from './bullmq-options.ts';

export interface FlowSettings {
  redisUrl: string;
  mediaQueuePrefix: string;
  attempts: number;
  backoffMs: number;
  /** Where connection errors are logged. */
  log: Logger;
}

/**
 * An item's media work as BullMQ jobs: the probe alone, then one flow (publish waiting on transcode and
 * thumbnails). BullMQ flows are trees, so the probe cannot sit under both of its followers; it adds the
 * flow once it knows the item can be decoded. Every id comes from the content's SHA-256 and the stage.
 */
export class BullMediaFlows implements MediaFlows {
  private readonly connection: Redis;
  private readonly probes: Queue;
  private readonly publishes: Queue;
  private readonly producer: FlowProducer;

  constructor(private readonly settings: FlowSettings) {
    const redis = bullConnection(settings.redisUrl, `media flows ${settings.mediaQueuePrefix}`, settings.log);
    this.connection = redis.connection;
    this.probes = redis.watch(new Queue(this.queueName('media-probe'), { connection: this.connection }));
    this.publishes = redis.watch(new Queue(this.queueName('media-publish'), { connection: this.connection }));
    this.producer = redis.watch(new FlowProducer({ connection: this.connection }));
  }

  private queueName(name: MediaJobName): string {
    return queueFor(name, '', this.settings.mediaQueuePrefix);
  }

  private options(name: MediaJobName, item: MediaJobPayload) {
    return jobOptions(name, item, this.settings);
  }

  async probe(item: MediaJobPayload): Promise<void> {
    await this.probes.add('media-probe', item, this.options('media-probe', item));
  }

  async derive(item: MediaJobPayload): Promise<void> {
    // A probe that ran again (its first run died after adding the flow) must not add a second flow.
    if (await this.publishes.getJob(jobId('media-publish', item))) return;
    // Failure policy per child: a failed child is set aside, not fatal to the flow, so publish always
    // runs and records what was made and why the rest was not (the catalog keeps each stage's outcome).
    const child = (name: 'media-transcode' | 'media-thumbnails') => ({
      name, queueName: this.queueName(name), data: item, opts: { ...this.options(name, item), ignoreDependencyOnFailure: true },
    });
    await this.producer.add({
      name: 'media-publish',
      queueName: this.queueName('media-publish'),
      data: item,
      opts: this.options('media-publish', item),
      children: [child('media-transcode'), child('media-thumbnails')],
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.probes.close(), this.publishes.close(), this.producer.close()]);
    this.connection.disconnect();
  }
}
