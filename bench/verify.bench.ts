/**
 * verify benchmark: `evidock verify --all` throughput (MB/s) against `openssl dgst -sha256` over the
 * same bytes read from the same MinIO (curl on a presigned URL piped into openssl, one object at a time).
 *
 *   npm run bench                         # part of the whole bench
 *   BENCH_VERIFY_BYTES=300000000 tsx bench/verify.bench.ts
 *
 * Steps (one run, one data set): start Redis, PostgreSQL and MinIO (embedded, free ports, temp folder);
 * store synthetic originals (random bytes: a few large videos, many photos) with their manifests; rebuild
 * the catalog from the manifests (reindex) and lock every item, as the daemon would have; time verify;
 * time curl | openssl over every original, three rounds in alternation (the best of each is kept: the
 * machine is shared). Everything started is stopped and the temp folder removed.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { startServices } from '../src/adapters/embedded/services.ts';
import { reindexCatalog } from '../src/app/integrity/reindex.ts';
import { verifyIntegrity } from '../src/app/integrity/verify.ts';
import { compose } from '../src/main/compose.ts';
import { buildManifest, type EvidenceItem, itemKeys } from '../src/domain/evidence.ts';
import { createLogger } from '../src/log.ts';
import { systemClock } from '../src/ports/clock.ts';
import { embeddedTestConfig, tempDataDir } from '../test/support/services.ts';

const MB = 1e6;
const note = (message: string) => process.stderr.write(`[bench verify] ${message}\n`);
const total = Number(process.env.BENCH_VERIFY_BYTES ?? process.env.BENCH_BYTES ?? 1_000_000_000);
const ROUNDS = 3;

/** 80% of the bytes in 100 MB videos, the rest in 1 MB photos: the mix a day of body cameras gives. */
function plan(bytes: number): number[] {
  const sizes: number[] = [];
  for (let left = Math.round(bytes * 0.8); left > 0; left -= 100 * MB) sizes.push(Math.min(100 * MB, left));
  for (let left = bytes - sizes.reduce((a, b) => a + b, 0); left > 0; left -= MB) sizes.push(Math.min(MB, left));
  return sizes;
}

/** Random bytes of `size`, streamed in 1 MiB chunks, hashed on the way. */
function randomStream(size: number, hash: ReturnType<typeof createHash>): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const chunk = randomBytes(Math.min(left, 1 << 20));
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

async function main() {
  const dataDir = await tempDataDir('evidock-bench-verify-');
  const config = await embeddedTestConfig(dataDir);
  const services = await startServices(config, createLogger('warn', process.stderr));
  try {
    const core = await compose(config, services.endpoints, { log: createLogger('warn', process.stderr), clock: systemClock });
    try {
      const sizes = plan(total);
      note(`storing ${sizes.length} originals, ${(total / MB).toFixed(0)} MB…`);
      const sessionId = ulid();
      for (const [i, size] of sizes.entries()) {
        const id = ulid();
        const path = `DCIM/${String(i).padStart(5, '0')}.${size >= 100 * MB ? 'MP4' : 'JPG'}`;
        const keys = itemKeys(id, path);
        const hash = createHash('sha256');
        const stored = await core.store.put(keys.original, randomStream(size, hash));
        const now = new Date();
        const item: EvidenceItem = {
          id, sha256: hash.digest('hex'), size, kind: size >= 100 * MB ? 'video' : 'photo', deviceSerial: 'BENCH-1', originalPath: path, officerId: null,
          caseId: null, category: null, phase: null, capturedAt: now, capturedAtSource: 'mtime', securedAt: now, status: 'secured', sessionId,
          objects: { original: keys.original, originalVersion: stored.versionId, manifest: keys.manifest },
        };
        await core.store.put(keys.manifest, Buffer.from(JSON.stringify(buildManifest(item, 'bench', now))), { contentType: 'application/json' });
      }
      await reindexCatalog(core, { actor: 'bench', from: 'bench' });
      for (const item of await core.catalog.queryItems({ limit: 1_000_000 })) await core.locks.protectItem(item.id, 'bench');

      // The machine is shared: the two are timed in alternation, ROUNDS times each, and the best of each is kept.
      const items = await core.catalog.queryItems({ limit: 1_000_000 });
      const urls = await Promise.all(items.map((i) => core.store.client.presignedGetObject(core.store.bucket, i.objects.original, 3600)));
      const list = join(dataDir, 'urls.txt');
      await writeFile(list, `${urls.join('\n')}\n`);
      const verifyRuns: number[] = [];
      const opensslRuns: number[] = [];
      let bytes = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        note(`round ${round}/${ROUNDS}: evidock verify --all…`);
        const report = await verifyIntegrity({ store: core.store, objects: core.objects, logReader: core.logReader, subjects: core.verifySubjects, lockRecords: core.lockRecords });
        if (!report.ok) throw new Error(`verify found mismatches on untouched data: ${JSON.stringify(report.mismatches.slice(0, 3))}`);
        verifyRuns.push(report.items.seconds);
        bytes = report.items.bytes;
        note(`round ${round}/${ROUNDS}: curl | openssl dgst -sha256 over the same objects…`);
        const began = process.hrtime.bigint();
        const { stdout } = await promisify(execFile)('sh', ['-c', 'while read -r u; do curl -sf "$u" | openssl dgst -sha256 -r; done < "$1"', 'sh', list], { maxBuffer: 64 << 20 });
        opensslRuns.push(Number(process.hrtime.bigint() - began) / 1e9);
        if (stdout.trim().split('\n').map((l) => l.split(' ')[0]).join() !== items.map((i) => i.sha256).join()) {
          throw new Error('openssl digests differ from the catalog: the comparison read other bytes');
        }
      }
      const best = (runs: number[]) => Math.min(...runs);
      const figures = {
        bytes,
        objects: items.length,
        verifySec: Number(best(verifyRuns).toFixed(2)),
        verifyMBps: Number((bytes / MB / best(verifyRuns)).toFixed(1)),
        opensslSec: Number(best(opensslRuns).toFixed(2)),
        opensslMBps: Number((bytes / MB / best(opensslRuns)).toFixed(1)),
        rounds: { verifySec: verifyRuns.map((r) => Number(r.toFixed(2))), opensslSec: opensslRuns.map((r) => Number(r.toFixed(2))) },
      };
      process.stdout.write(`${JSON.stringify({ bench: 'verify', ...figures, ratio: Number((figures.verifyMBps / figures.opensslMBps).toFixed(2)) })}\n`);
    } finally {
      await core.close();
    }
  } finally {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench verify failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
