import { FlowProducer, type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { jobId, type MediaJobName, type MediaJobPayload, queueFor } from '../domain/jobs.ts';
import type { MediaFlows } from '../ports/media-flows.ts';

export interface FlowSettings {
  redisUrl: string;
  mediaQueuePrefix: string;
  attempts: number;
  backoffMs: number;
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
    // BullMQ's blocking commands need unlimited retries per request; failures surface as reconnects.
    this.connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    this.probes = new Queue(this.queueName('media-probe'), { connection: this.connection });
    this.publishes = new Queue(this.queueName('media-publish'), { connection: this.connection });
    this.producer = new FlowProducer({ connection: this.connection });
    // Connection errors are retried by ioredis; callers see failed calls.
    this.probes.on('error', () => undefined);
    this.publishes.on('error', () => undefined);
    this.producer.on('error', () => undefined);
  }

  private queueName(name: MediaJobName): string {
    return queueFor(name, '', this.settings.mediaQueuePrefix);
  }

  private options(name: MediaJobName, item: MediaJobPayload): JobsOptions {
    return {
      jobId: jobId(name, item),
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      // The catalog, not Redis, is the record: finished jobs are kept a while for the dashboard.
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    };
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
