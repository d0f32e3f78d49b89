import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { minioClient } from '../../src/adapters/embedded/minio.ts';
import { retentionReport } from '../../src/app/integrity/retention-report.ts';
import { HeadSealer, readSeals } from '../../src/app/integrity/seals.ts';
import { verifyIntegrity } from '../../src/app/integrity/verify.ts';
import { sealKey } from '../../src/domain/audit-chain.ts';
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
  const core = () => h.deps;
  const verify = () => verifyIntegrity({ store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects, lockRecords: core().lockRecords });
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
    // The head is sealed now: by this seal, or already by the CLI command that appended last (CLI commands seal).
    await sealer.seal();
    expect(await sealer.seal()).toBeNull();
    const seals = (await readSeals({ objects: core().objects, store: h.deps.store })).get(await core().logReader.chainId())!;
    expect(seals.at(-1)!.seal).toMatchObject({ seq: (await core().logReader.head()).seq });
    const report = await verify();
    expect(report.mismatches).toEqual([]);
    expect(report).toMatchObject({ ok: true, items: { checked: 4, total: 4 }, chain: { seals: seals.length } });
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
    // GOVERNANCE: with the bypass header too (the daemon's MinIO user is denied the bypass and any version delete).
    await expect(client.removeObject(bucket, item.objects.original, { versionId: item.objects.originalVersion!, governanceBypass: true })).rejects.toThrow(/Access Denied/i);
    await expect(client.removeObject(bucket, item.objects.manifest, { versionId: (await h.deps.store.stat(item.objects.manifest))!.versionId! })).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    await expect(core().objects.retain({ key: item.objects.original, versionId: item.objects.originalVersion }, 'GOVERNANCE', new Date(Date.now() + 86_400_000))).rejects.toThrow();
    expect((await verify()).ok).toBe(true);
  });

  it("locks every seal in COMPLIANCE and keeps it write-once: the daemon's credentials neither delete nor replace one, bypass or not", async () => {
    const client = minioClient(h.endpoints.minio);
    const bucket = h.endpoints.minio.bucket;
    const [first] = (await readSeals({ objects: core().objects, store: h.deps.store })).get(await core().logReader.chainId())!;
    const version = (await core().objects.versions(first!.key))[0]!.versionId!;
    expect(await core().objects.retention({ key: first!.key, versionId: version })).toMatchObject({ mode: 'COMPLIANCE' });
    await expect(client.removeObject(bucket, first!.key, { versionId: version })).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    await expect(client.removeObject(bucket, first!.key, { versionId: version, governanceBypass: true })).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    await expect(client.putObjectRetention(bucket, first!.key, { versionId: version, mode: 'GOVERNANCE', retainUntilDate: new Date(Date.now() + 86_400_000).toISOString(), governanceBypass: true } as never)).rejects.toThrow();
    const lock = { mode: 'COMPLIANCE' as const, until: new Date(Date.now() + 86_400_000), contentType: 'application/json' };
    expect(await core().objects.putLocked(first!.key, Buffer.from('{"forged":true}'), lock)).toBeNull();
    // A plain PUT adds a version over it: verify trusts the first and names the forgery.
    const forged = { ...first!.seal, hash: 'f'.repeat(64) };
    await h.deps.store.put(first!.key, Buffer.from(JSON.stringify(forged)), { contentType: 'application/json' });
    const report = await verify();
    expect(report.mismatches).toEqual([{ kind: 'audit-log', seq: first!.seal.seq, problem: expect.stringMatching(/written 2 times: seals are write-once/) }]);
  });

  it('names a missing seal (a gap in the seals) and a tail left unsealed for two seal intervals', async () => {
    const chainId = await core().logReader.chainId();
    const lock = { mode: 'COMPLIANCE' as const, until: new Date(Date.now() + 86_400_000), contentType: 'application/json' };
    // As if seal 1 had been removed: the seal of entry 2 names it.
    const orphan = { chainId, seq: 2, hash: (await core().logReader.entries(1, 1))[0]!.hash, sealedAt: new Date().toISOString(), sealedBy: 'test', prev: { seq: 1, sha256: 'a'.repeat(64) } };
    await core().objects.putLocked(sealKey(chainId, 2), Buffer.from(JSON.stringify(orphan)), lock);
    await core().audit.append({ actor: 'tester', action: 'query', target: 'catalog', reason: null, result: 'ok', from: 'test' });
    const later = await verifyIntegrity(
      { store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects, lockRecords: core().lockRecords },
      { unsealedTailLimitMs: 2 * h.config.audit.sealIntervalMs, now: new Date(Date.now() + 3 * h.config.audit.sealIntervalMs) },
    );
    const head = (await core().logReader.head()).seq;
    expect(later.mismatches).toEqual(expect.arrayContaining([
      { kind: 'audit-log', seq: 1, problem: expect.stringMatching(/the seal of entry 1 is missing: the seal of entry 2 names it/) },
      { kind: 'audit-log', seq: head, problem: expect.stringMatching(new RegExp(`entries ${head} to ${head} are not sealed.*sealing stopped, or seals were removed`)) },
    ]));
    const now = await verifyIntegrity({ store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects, lockRecords: core().lockRecords }, { unsealedTailLimitMs: 2 * h.config.audit.sealIntervalMs });
    expect(now.mismatches.filter((m) => /not sealed/.test(m.problem))).toEqual([]);
  });

  it("names a lock shortened and a legal hold lifted with the daemon's own MinIO user, unless MinIO refuses them", async () => {
    const client = minioClient(h.endpoints.minio);
    const bucket = h.endpoints.minio.bucket;
    const item = items.find((i) => i.originalPath === 'C.JPG')!;
    await h.deps.locks.placeCaseHold('CASE-9', [item.id], 'A-1', 'case opened');
    // (The seal tests above left forged seals: only the items matter here.)
    expect((await verify()).mismatches.filter((m) => m.kind !== 'audit-log')).toEqual([]);
    const original = { key: item.objects.original, versionId: item.objects.originalVersion };
    const soon = new Date(Date.now() + 2 * 86_400_000);
    // GOVERNANCE: MinIO lets s3:PutObjectRetention shorten with the bypass header even though the bypass right is denied.
    const shortened = await client.putObjectRetention(bucket, original.key, { versionId: original.versionId!, mode: 'GOVERNANCE', retainUntilDate: soon.toISOString(), governanceBypass: true } as never).then(() => true, () => false);
    const lifted = await Promise.resolve(client.setObjectLegalHold(bucket, original.key, { versionId: original.versionId!, status: 'OFF' } as never)).then(() => true, () => false);
    const problems = (await verify()).mismatches.filter((m) => m.kind === 'original' && m.itemId === item.id).map((m) => m.problem);
    if (shortened) expect(problems).toContainEqual(expect.stringMatching(/^its lock was shortened: locked until .*, the catalog says /));
    else expect((await core().objects.retention(original))!.until.getTime()).toBeGreaterThan(soon.getTime());
    if (lifted) expect(problems).toContainEqual('its legal hold was lifted: case CASE-9 holds it in the catalog, the bucket has no hold');
    else expect(await core().objects.legalHold(original)).toBe(true);
    // `evidock retention` reads the objects too: within 5 days, the shortened original shows, with how it differs.
    const report = await retentionReport({ lockRecords: core().lockRecords, objects: core().objects, store: h.deps.store, subjects: core().verifySubjects }, new Date(Date.now() + 5 * 86_400_000), 100);
    if (shortened || lifted) expect(report).toEqual([expect.objectContaining({ key: original.key, legalHolds: ['CASE-9'], differs: problems.filter((p) => /^its (lock|legal)/.test(p)) })]);
    if (shortened) expect(report[0]!.bucket.retainUntil).toBe(soon.toISOString());
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
    expect(problems).toEqual([expect.stringMatching(/manifest was overwritten/), expect.stringMatching(/^sha256 is "/), 'carries no object-lock retention']);
  });

  it.skipIf(!embeddedPostgres)('names an audit entry altered by the database superuser', async () => {
    const seq = 5;
    await superuser((db) => db.query(`SET session_replication_role = replica; UPDATE custody_events SET actor = 'forger' WHERE seq = ${seq}`));
    const report = await verify();
    expect(report.mismatches).toContainEqual({ kind: 'audit-log', seq, problem: expect.stringMatching(/entry 5 .* was altered/) });
  });

  it.skipIf(!embeddedPostgres)('finds entries deleted from the end of the log against the seal, and the CLI exits non-zero naming each mismatch', async () => {
    // The CLI seals what it appended when it ends: the head may be sealed already.
    await sealer.seal();
    const sealed = (await core().logReader.head()).seq;
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
