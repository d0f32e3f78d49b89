import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { hashingTee } from '../hashing.ts';

/**
 * The files media work needs on this host: a verified local copy of each original being worked on
 * (shared by the stages that run here, fetched once), and a scratch folder per job run.
 * ffmpeg seeks in its input (an MP4's index may sit at its end), so it reads a local file.
 */
export class WorkFiles {
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly root: string,
  ) {}

  private originalDir(sha256: string): string {
    return join(this.root, 'originals', sha256);
  }

  /**
   * A local copy of the item's original, hashed on the way down and checked against the SHA-256 the
   * catalog holds: derivatives are only ever made from the bytes that were secured.
   */
  original(item: Pick<EvidenceItem, 'sha256' | 'objects'>, signal: AbortSignal): Promise<string> {
    let pending = this.fetching.get(item.sha256);
    if (!pending) {
      pending = this.download(item, signal).finally(() => this.fetching.delete(item.sha256));
      this.fetching.set(item.sha256, pending);
    }
    return pending;
  }

  private async download(item: Pick<EvidenceItem, 'sha256' | 'objects'>, signal: AbortSignal): Promise<string> {
    const dir = this.originalDir(item.sha256);
    const path = join(dir, `original${extname(item.objects.original)}`);
    if (await stat(path).catch(() => null)) return path;
    await mkdir(dir, { recursive: true });
    const partial = `${path}.part-${process.pid}-${Date.now()}`;
    try {
      const tee = hashingTee(await this.store.read(item.objects.original, item.objects.originalVersion, signal));
      await pipeline(tee.stream, createWriteStream(partial), { signal });
      const digest = await tee.digest;
      if (digest.sha256 !== item.sha256) {
        throw new Error(`stored original ${item.objects.original} reads back as sha256 ${digest.sha256}, not the secured ${item.sha256}: check the object store`);
      }
      // Only a complete, verified copy ever has the final name.
      await rename(partial, path);
      return path;
    } finally {
      await rm(partial, { force: true });
    }
  }

  /** Drops this host's copy once the item's flow is over. */
  async release(sha256: string): Promise<void> {
    await rm(this.originalDir(sha256), { recursive: true, force: true });
  }

  /** Runs `work` in a fresh scratch folder, removed afterwards whatever happens. */
  async scratch<T>(label: string, work: (dir: string) => Promise<T>): Promise<T> {
    await mkdir(join(this.root, 'jobs'), { recursive: true });
    const dir = await mkdtemp(join(this.root, 'jobs', `${label}-`));
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Removes what a killed worker left (scratch folders, partial downloads) and copies of originals
   * whose flow ended on another host, once older than `olderThanMs`.
   */
  async sweep(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const sub of ['jobs', 'originals']) {
      const entries = await readdir(join(this.root, sub)).catch(() => [] as string[]);
      for (const name of entries) {
        const path = join(this.root, sub, name);
        const info = await stat(path).catch(() => null);
        if (info && now - info.mtimeMs > olderThanMs) {
          await rm(path, { recursive: true, force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
