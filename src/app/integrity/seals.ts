import type { Config } from '../../config/schema.ts';
import { type Seal, sealKey } from '../../domain/audit-chain.ts';
import { retainUntil } from '../../domain/retention.ts';
import type { Logger } from '../../log.ts';
import type { LogReader } from '../../ports/audit-log.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ObjectListing, ObjectLock } from '../../ports/object-lock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

export interface SealDeps {
  config: Config;
  clock: Clock;
  logReader: LogReader;
  objects: ObjectLock & ObjectListing;
  store: ObjectStore;
}

const SEALS_PREFIX = 'audit/seals/';

async function readJson(store: ObjectStore, key: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Every seal in the bucket, per chain, in sequence order. */
export async function readSeals(deps: { objects: ObjectListing; store: ObjectStore }): Promise<Map<string, Seal[]>> {
  const byChain = new Map<string, Seal[]>();
  for await (const key of deps.objects.keys(SEALS_PREFIX)) {
    const seal = (await readJson(deps.store, key)) as Seal;
    const chain = byChain.get(seal.chainId) ?? [];
    chain.push(seal);
    byChain.set(seal.chainId, chain);
  }
  for (const seals of byChain.values()) seals.sort((a, b) => a.seq - b.seq);
  return byChain;
}

/**
 * Seals the chain head into the bucket as a locked object, unless it is already sealed. The seal is
 * locked for the permanent class: it is what an altered or truncated log is checked against.
 */
export class HeadSealer {
  private lastSealed = -1;

  constructor(
    private readonly deps: SealDeps,
    private readonly sealedBy: string,
  ) {}

  async seal(): Promise<Seal | null> {
    const { logReader, objects, config, clock } = this.deps;
    const [chainId, head] = await Promise.all([logReader.chainId(), logReader.head()]);
    if (this.lastSealed < 0) {
      let last: string | null = null;
      for await (const key of objects.keys(`${SEALS_PREFIX}${chainId}/`)) last = key;
      this.lastSealed = last ? Number(last.slice(last.lastIndexOf('/') + 1, -'.json'.length)) : 0;
    }
    if (head.seq <= this.lastSealed) return null;
    const now = clock.now();
    const seal: Seal = { chainId, seq: head.seq, hash: head.hash, sealedAt: now.toISOString(), sealedBy: this.sealedBy };
    await objects.putLocked(sealKey(chainId, head.seq), Buffer.from(`${JSON.stringify(seal, null, 2)}\n`), {
      mode: config.retention.mode,
      until: retainUntil(now, 'permanent', config.retention.classes),
      contentType: 'application/json',
    });
    this.lastSealed = head.seq;
    return seal;
  }
}

/** Seals at an interval while the daemon runs, and once more when it stops. */
export function startSealing(sealer: HeadSealer, intervalMs: number, log: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => sealer.seal())
      .then((seal) => seal && log.info({ seq: seal.seq, chainId: seal.chainId }, 'audit chain head sealed'))
      // A failed seal is retried at the next tick; the chain itself is unaffected.
      .catch((err) => log.error({ err }, 'sealing the audit chain head failed; retrying at the next interval'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      tick();
      await running;
    },
  };
}
