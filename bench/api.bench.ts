/**
 * API search benchmark: p50/p95 latency of archivists' common searches through HTTP, over a catalog of
 * 1,000,000 recordings (BENCH_ITEMS to change), seeded straight into PostgreSQL with generate_series.
 *
 *   npm run bench                 # runs every benchmark; this one alone:
 *   npx tsx bench/api.bench.ts    # BENCH_ITEMS=200000 BENCH_REQUESTS=100 for a quick run
 *
 * Steps: start Redis, PostgreSQL and MinIO (embedded, free ports, temp data dir); migrate; seed items
 * (500 officers, cases of ~200 recordings, 5 % untagged, 1 % restricted), VACUUM ANALYZE; start the API on a
 * free port with an archivist's token; time each search BENCH_REQUESTS times (random case, officer +
 * 7-day window, untagged first and second page, sha256), each as a real HTTP request that is also
 * audited (one chained log entry per search, as in production). Everything is stopped and removed after.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { startServices } from '../src/adapters/embedded/services.ts';
import { buildApiServer } from '../src/api/server.ts';
import { createToken } from '../src/app/access/credentials.ts';
import { savePerson } from '../src/app/access/register.ts';
import { compose } from '../src/main/compose.ts';
import { createLogger } from '../src/log.ts';
import { systemClock } from '../src/ports/clock.ts';
import { embeddedTestConfig, tempDataDir } from '../test/support/services.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const OFFICERS = 500;
const CASE_SIZE = 200;
const START = Date.parse('2025-01-01T00:00:00Z');
const STEP_S = 30;

const note = (text: string) => process.stderr.write(`${text}\n`);

/** One INSERT … SELECT: ids are ULID-shaped (digits are valid Crockford base32), hashes unique per row. */
const SEED_SQL = `
  INSERT INTO devices (serial, serial_source, first_seen_at, last_seen_at) VALUES ('BENCH-DEV', 'id-file', now(), now());
  INSERT INTO dock_sessions (id, device_serial, dock_host, mount_path, state, started_at, ended_at)
    VALUES ('00000000000000000000000000', 'BENCH-DEV', 'bench', '/bench', 'secured', now(), now());
  INSERT INTO evidence_items (id, sha256, size, kind, device_serial, original_path, officer_id, case_id, category, phase,
      captured_at, captured_at_source, secured_at, status, session_id, object_original, object_original_version, object_manifest,
      checklist_row, unit, tag_source, confidentiality)
  SELECT 'B' || lpad(i::text, 25, '0'), encode(sha256(i::text::bytea), 'hex'), 1000000 + i, 'video', 'BENCH-DEV', 'DCIM/' || i || '.MP4',
         'OFF-' || (i % ${OFFICERS}),
         CASE WHEN i % 20 = 0 THEN NULL ELSE 'CASE-' || (i / ${CASE_SIZE}) END,
         CASE WHEN i % 20 = 0 THEN NULL ELSE 'administrative-penalty' END,
         CASE WHEN i % 20 = 0 THEN NULL ELSE 'investigation' END,
         to_timestamp(${START / 1000} + i * ${STEP_S}), 'container', to_timestamp(${START / 1000} + i * ${STEP_S} + 3600), 'secured',
         '00000000000000000000000000', 'items/' || i || '/original.mp4', NULL, 'items/' || i || '/manifest.json',
         CASE WHEN i % 20 = 0 THEN NULL ELSE 'penalty-investigation' END,
         CASE WHEN i % 20 = 0 THEN NULL ELSE 'enforcement' END,
         CASE WHEN i % 20 = 0 THEN 'untagged' ELSE 'activity' END,
         CASE WHEN i % 100 = 7 THEN 'restricted' ELSE 'normal' END
    FROM generate_series(1, $1::int) AS i;
`;

const pick = (n: number) => Math.floor(Math.random() * n);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dataDir = await tempDataDir('evidock-api-bench-');
  const config = await embeddedTestConfig(dataDir, { 'api.port': 0 });
  const log = createLogger('warn', process.stderr);
  note(`starting redis, postgres and minio in ${dataDir}…`);
  const services = await startServices(config, log);
  let closeCore: (() => Promise<void>) | null = null;
  let closeApi: (() => Promise<void>) | null = null;
  try {
    const core = await compose(config, services.endpoints, { log, clock: systemClock });
    closeCore = () => core.close();
    const pool = core.catalog.pool;

    note(`seeding ${ITEMS.toLocaleString('en')} recordings…`);
    let t = performance.now();
    const seeder = await pool.connect();
    try {
      // One statement of this size runs for a while; the seed is throwaway, so skip WAL durability waits.
      await seeder.query('SET synchronous_commit = off');
      await seeder.query(SEED_SQL.split(';').slice(0, 2).join(';'));
      await seeder.query(SEED_SQL.split(';')[2]!, [ITEMS]);
      await seeder.query('VACUUM (ANALYZE) evidence_items');
    } finally {
      seeder.release();
    }
    note(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const app = await buildApiServer(core);
    closeApi = () => app.close();
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    await savePerson(core, { id: 'BENCH-ARC', name: 'Bench archivist', unit: null, role: 'archivist' }, { actor: 'bench', at: new Date(), reason: null });
    const { token } = await createToken(core, 'BENCH-ARC', { expiresInMs: 3600_000, label: 'bench', now: new Date() }, { actor: 'bench', from: 'bench' });
    const get = async (query: string) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/items?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${query}: ${res.status} ${JSON.stringify(body)}`);
      return { ms, body };
    };

    const span = ITEMS * STEP_S * 1000;
    const week = 7 * 86_400_000;
    const untaggedCursor = (await get('untagged=true')).body.nextCursor!;
    const searches: Record<string, () => string> = {
      'by case': () => `case=CASE-${pick(ITEMS / CASE_SIZE)}`,
      'officer + 7-day range': () => {
        const from = START + pick(span - week);
        return `officer=OFF-${pick(OFFICERS)}&since=${new Date(from).toISOString()}&until=${new Date(from + week).toISOString()}`;
      },
      'untagged, first page': () => 'untagged=true',
      'untagged, next page': () => `untagged=true&cursor=${untaggedCursor}`,
      sha256: () => `sha256=${createHash('sha256').update(String(1 + pick(ITEMS))).digest('hex')}`,
    };

    if (process.env.BENCH_EXPLAIN === '1') await explain(pool, searches);

    const rows: Array<[string, number, number, number, number]> = [];
    for (const [name, query] of Object.entries(searches)) {
      for (let i = 0; i < 10; i++) await get(query()); // warm-up
      const times: number[] = [];
      let found = 0;
      t = performance.now();
      for (let i = 0; i < REQUESTS; i++) {
        const { ms, body } = await get(query());
        times.push(ms);
        found += body.items.length;
      }
      times.sort((a, b) => a - b);
      rows.push([name, percentile(times, 50), percentile(times, 95), times.at(-1)!, found / REQUESTS]);
    }

    process.stdout.write(`\nAPI search latency over HTTP, ${ITEMS.toLocaleString('en')} recordings, ${REQUESTS} requests each (page size ${config.api.pageSize}, each search audited)\n`);
    process.stdout.write(`${'search'.padEnd(24)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}${'rows'.padStart(7)}\n`);
    for (const [name, p50, p95, max, found] of rows) {
      process.stdout.write(`${name.padEnd(24)}${p50.toFixed(1).padStart(9)}${p95.toFixed(1).padStart(9)}${max.toFixed(1).padStart(9)}${found.toFixed(0).padStart(7)}\n`);
    }
    const worst = Math.max(...rows.map((r) => r[2]));
    process.stdout.write(`worst p95: ${worst.toFixed(1)} ms (aim ≤ 50 ms): ${worst <= 50 ? 'met' : 'NOT met'}\n`);
  } finally {
    await closeApi?.().catch(() => undefined);
    await closeCore?.().catch(() => undefined);
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** BENCH_EXPLAIN=1: the plan and timing of one query per search, as the API runs it (for tuning indexes). */
async function explain(pool: import('pg').Pool, searches: Record<string, () => string>): Promise<void> {
  const { searchSql } = await import('../src/adapters/postgres/pg-item-search.ts');
  const { decodeCursor } = await import('../src/domain/search.ts');
  for (const [name, query] of Object.entries(searches)) {
    const q = new URLSearchParams(query());
    const sort = '-capturedAt' as const;
    const { text, values } = searchSql({
      filters: {
        caseId: q.get('case') ?? undefined, officerId: q.get('officer') ?? undefined, sha256: q.get('sha256') ?? undefined,
        since: q.get('since') ? new Date(q.get('since')!) : undefined, until: q.get('until') ? new Date(q.get('until')!) : undefined,
        untagged: q.get('untagged') ? true : undefined,
      },
      levels: ['normal', 'restricted'], sort, after: q.get('cursor') ? decodeCursor(q.get('cursor')!, sort) : null, limit: 50,
    });
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
    note(`-- ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`api bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
