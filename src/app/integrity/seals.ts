import type { Config } from '../../config/schema.ts';
import { createHash } from 'node:crypto';
import { type Seal, type SealLink, sealKey } from '../../domain/audit-chain.ts';
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

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readBytes(store: ObjectStore, key: string, versionId: string | null = null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key, versionId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A seal as found in the bucket: its first version (seals are write-once; a later one is a forgery) and how many there are. */
export interface StoredSeal {
  seal: Seal;
  key: string;
  /** SHA-256 of the stored bytes: what the next seal names. */
  sha256: string;
  versions: number;
}

async function readSeal(deps: { objects: ObjectListing; store: ObjectStore }, key: string): Promise<StoredSeal> {
  const versions = (await deps.objects.versions(key)).filter((v) => !v.isDeleteMarker);
  const first = versions.at(-1)?.versionId ?? null;
  const bytes = await readBytes(deps.store, key, first);
  return { seal: JSON.parse(bytes.toString('utf8')) as Seal, key, sha256: sha256Hex(bytes), versions: versions.length };
}

/** Every seal in the bucket, per chain, in sequence order. */
export async function readSeals(deps: { objects: ObjectListing; store: ObjectStore }): Promise<Map<string, StoredSeal[]>> {
  const byChain = new Map<string, StoredSeal[]>();
  for await (const key of deps.objects.keys(SEALS_PREFIX)) {
    const stored = await readSeal(deps, key);
    const chain = byChain.get(stored.seal.chainId) ?? [];
    chain.push(stored);
    byChain.set(stored.seal.chainId, chain);
  }
  for (const seals of byChain.values()) seals.sort((a, b) => a.seal.seq - b.seal.seq);
  return byChain;
}

/**
 * Seals the chain head into the bucket as a write-once locked object naming the seal before it, unless it
 * is already sealed. The seal is locked for the permanent class in `audit.sealLockMode` (COMPLIANCE by
 * default): it is what an altered or truncated log is checked against.
 */
export class HeadSealer {
  /** The last seal of this chain, once looked up. */
  private last: SealLink | null | undefined;

  constructor(
    private readonly deps: SealDeps,
    private readonly sealedBy: string,
  ) {}

  private async lastSeal(chainId: string): Promise<SealLink | null> {
    if (this.last !== undefined) return this.last;
    let key: string | null = null;
    for await (const k of this.deps.objects.keys(`${SEALS_PREFIX}${chainId}/`)) key = k;
    if (!key) return (this.last = null);
    const stored = await readSeal(this.deps, key);
    return (this.last = { seq: stored.seal.seq, sha256: stored.sha256 });
  }

  async seal(): Promise<Seal | null> {
    const { logReader, objects, config, clock } = this.deps;
    const [chainId, head] = await Promise.all([logReader.chainId(), logReader.head()]);
    const prev = await this.lastSeal(chainId);
    if (head.seq <= (prev?.seq ?? 0)) return null;
    const now = clock.now();
    const seal: Seal = { chainId, seq: head.seq, hash: head.hash, sealedAt: now.toISOString(), sealedBy: this.sealedBy, prev };
    const bytes = Buffer.from(`${JSON.stringify(seal, null, 2)}\n`);
    const key = sealKey(chainId, head.seq);
    const written = await objects.putLocked(key, bytes, {
      mode: config.audit.sealLockMode,
      until: retainUntil(now, 'permanent', config.retention.classes),
      contentType: 'application/json',
    });
    if (!written) {
      // Another process (a second daemon, a CLI command) sealed this head first: link the next seal to theirs.
      const theirs = await readSeal(this.deps, key);
      this.last = { seq: theirs.seal.seq, sha256: theirs.sha256 };
      return null;
    }
    this.last = { seq: head.seq, sha256: sha256Hex(bytes) };
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
