import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { minioClient } from '../../src/adapters/embedded/minio.ts';
import { HeadSealer } from '../../src/app/integrity/seals.ts';
import { verifyIntegrity } from '../../src/app/integrity/verify.ts';
import type { Core } from '../../src/app/wiring.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { runCli, servicesEnv, withCliPeople } from '../support/cli.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';
import { asSuperuser, embeddedPostgres } from '../support/superuser.ts';

const embeddedMinio = !process.env.EVIDOCK_TEST_MINIO_URL;

/** Every file under a folder (MinIO's on-disk layout of one object). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

describe('verify: stored originals, manifests and the audit chain (real services)', () => {
  let h: Harness;
  let items: EvidenceItem[];
  let sealer: HeadSealer;
  let cliEnv: Record<string, string>;
  /** The harness's deps carry the whole core (object lock, log reader, verify subjects). */
  const core = () => h.deps as unknown as Core;
  const verify = () => verifyIntegrity({ store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects });
  const superuser = <T>(work: (db: pg.Client) => Promise<T>) => asSuperuser(h.endpoints.postgresUrl, work);

  beforeAll(async () => {
    h = await createHarness();
    h.startWorkers();
    const device = makeDevice(join(h.dockDir, 'BWC-0200'), { 'DCIM/A.MP4': 600_000, 'DCIM/B.MP4': 250_000, 'C.JPG': 3_000, 'D.WAV': 1_000 });
    await h.dock.handle({ type: 'docked', mountPath: device, volumeLabel: null });
    expect(await h.waitForSession('BWC-0200')).toMatchObject({ state: 'secured' });
    items = await h.deps.catalog.queryItems({ device: 'BWC-0200' });
    sealer = new HeadSealer({ ...core(), config: h.config, clock: h.deps.clock }, 'test');
    cliEnv = await withCliPeople({ ...servicesEnv(h.endpoints, h.config.dockHost), EVIDOCK_LOG_LEVEL: 'silent' }, [['AUD-1', 'auditor']], 'AUD-1');
  }, 300_000);

  afterAll(async () => h?.close());

  it('locks every original and manifest at securing, in the configured mode, for the default class', async () => {
    for (const item of items) {
      const retention = await core().objects.retention({ key: item.objects.original, versionId: item.objects.originalVersion });
      expect(retention?.mode).toBe('GOVERNANCE');
      const days = (retention!.until.getTime() - item.securedAt.getTime()) / 86_400_000;
      expect(days).toBeCloseTo(h.config.retention.classes.standard, 3);
      const manifest = await h.deps.store.stat(item.objects.manifest);
      expect(await core().objects.retention({ key: item.objects.manifest, versionId: manifest!.versionId })).toMatchObject({ mode: 'GOVERNANCE' });
    }
  });

  it('finds everything in order, seals included, and the CLI exits 0', async () => {
    expect(await sealer.seal()).toMatchObject({ seq: (await core().logReader.head()).seq });
    expect(await sealer.seal()).toBeNull();
    const report = await verify();
    expect(report.mismatches).toEqual([]);
    expect(report).toMatchObject({ ok: true, items: { checked: 4, total: 4 }, chain: { seals: 1 } });
    const cli = await runCli(['verify', '--json'], cliEnv);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, items: { checked: 4 } });
  });

  it('refuses to delete a locked original version, or to shorten its lock, with the daemon\'s own credentials', async () => {
    const client = minioClient(h.endpoints.minio);
    const bucket = h.endpoints.minio.bucket;
    const item = items[0]!;
    await expect(client.removeObject(bucket, item.objects.original, { versionId: item.objects.originalVersion! })).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    await expect(client.removeObject(bucket, item.objects.manifest, { versionId: (await h.deps.store.stat(item.objects.manifest))!.versionId! })).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    await expect(core().objects.retain({ key: item.objects.original, versionId: item.objects.originalVersion }, 'GOVERNANCE', new Date(Date.now() + 86_400_000))).rejects.toThrow();
    expect((await verify()).ok).toBe(true);
  });

  it.skipIf(!embeddedMinio)('names an original whose bytes were changed in MinIO\'s data directory', async () => {
    const item = items.find((i) => i.originalPath === 'DCIM/A.MP4')!;
    const dir = join(inject('servicesConfig').dataDir, 'minio', h.endpoints.minio.bucket, item.objects.original);
    const part = filesUnder(dir).filter((f) => !f.endsWith('xl.meta')).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const bytes = readFileSync(part);
    const at = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(part, bytes);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.mismatches).toContainEqual({ kind: 'original', itemId: item.id, key: item.objects.original, problem: expect.stringMatching(/content changed|cannot be read/) });
  });

  it('names a manifest that was overwritten with one byte changed', async () => {
    const item = items.find((i) => i.originalPath === 'DCIM/B.MP4')!;
    const text = (await (await h.deps.store.read(item.objects.manifest)).toArray()).map(String).join('');
    const altered = text.replace(item.sha256, `${item.sha256.slice(0, -1)}${item.sha256.endsWith('0') ? '1' : '0'}`);
    await h.deps.store.put(item.objects.manifest, Buffer.from(altered), { contentType: 'application/json' });
    const problems = (await verify()).mismatches.filter((m) => m.kind === 'manifest' && m.itemId === item.id).map((m) => m.problem);
    expect(problems).toEqual([expect.stringMatching(/manifest was overwritten/), expect.stringMatching(/^sha256 is "/)]);
  });

  it.skipIf(!embeddedPostgres)('names an audit entry altered by the database superuser', async () => {
    const seq = 5;
    await superuser((db) => db.query(`SET session_replication_role = replica; UPDATE custody_events SET actor = 'forger' WHERE seq = ${seq}`));
    const report = await verify();
    expect(report.mismatches).toContainEqual({ kind: 'audit-log', seq, problem: expect.stringMatching(/entry 5 .* was altered/) });
  });

  it.skipIf(!embeddedPostgres)('finds entries deleted from the end of the log against the seal, and the CLI exits non-zero naming each mismatch', async () => {
    const sealed = (await sealer.seal())!.seq;
    await superuser((db) => db.query(`SET session_replication_role = replica; DELETE FROM custody_events WHERE seq >= ${sealed - 1}`));
    const report = await verify();
    expect(report.mismatches).toContainEqual({ kind: 'audit-log', seq: expect.any(Number), problem: expect.stringMatching(`the log ends at entry ${sealed - 2}, but entry \\d+ was sealed .*: entries were removed`) });
    const cli = await runCli(['verify'], cliEnv);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/MISMATCH original of item .*A\.MP4|MISMATCH original of item/);
    expect(cli.stdout).toMatch(/MISMATCH manifest of item/);
    expect(cli.stdout).toMatch(/MISMATCH audit log entry 5: .*altered/);
    expect(cli.stdout).toMatch(/entries were removed/);
    expect(cli.stdout).toMatch(/FAILED: \d+ mismatches/);
  });
});
