import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minioClient } from '../../src/adapters/embedded/minio.ts';
import { verifyIntegrity } from '../../src/app/integrity/verify.ts';
import type { CliContext } from '../../src/cli/context.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { runCli, servicesEnv } from '../support/cli.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

const commandsDir = join(import.meta.dirname, '../../src/cli/commands');

interface Leaf {
  path: string[];
  command: Command;
}

/**
 * Every command a user can run, registered as src/cli/main.ts registers them (in its order: some add
 * subcommands to others), after checking that main.ts registers every module of src/cli/commands.
 */
async function allCommands(): Promise<Leaf[]> {
  const main = readFileSync(join(import.meta.dirname, '../../src/cli/main.ts'), 'utf8');
  const modules = new Map([...main.matchAll(/import \{ (register\w+) \} from '\.\/commands\/([\w-]+\.ts)';/g)].map((m) => [m[1]!, m[2]!]));
  expect([...modules.values()].sort()).toEqual(readdirSync(commandsDir).filter((f) => f.endsWith('.ts')).sort());
  const order = /for \(const register of \[([^\]]+)\]\)/.exec(main)![1]!.split(',').map((n) => n.trim());
  const program = new Command('evidock');
  const notRun = (): never => {
    throw new Error('not run');
  };
  const context: CliContext = { program, config: notRun, withCore: async () => notRun() };
  for (const name of order) {
    const module = (await import(join(commandsDir, modules.get(name)!))) as Record<string, (c: CliContext) => void>;
    module[name]!(context);
  }
  const leaves: Leaf[] = [];
  const walk = (c: Command, path: string[]) => {
    if (c.commands.length === 0) leaves.push({ path, command: c });
    for (const sub of c.commands) walk(sub, [...path, sub.name()]);
  };
  for (const c of program.commands) walk(c, [c.name()]);
  return leaves;
}

/** Every version and delete marker of every object under items/ (originals, manifests, derivatives). */
async function versionsOf(h: Harness): Promise<string[]> {
  const client = minioClient(h.endpoints.minio);
  const bucket = h.endpoints.minio.bucket;
  const found: string[] = [];
  for await (const e of client.listObjects(bucket, 'items/', true, { IncludeVersion: true })) {
    const v = e as { name: string; versionId?: string; isDeleteMarker?: boolean; isLatest?: boolean };
    found.push(`${v.name} ${v.versionId} ${v.isDeleteMarker ? 'delete-marker' : 'data'} ${v.isLatest ? 'latest' : ''}`);
  }
  return found.sort();
}

describe('no path deletes or overwrites a stored original or manifest', () => {
  let h: Harness;
  let item: EvidenceItem;
  let env: Record<string, string>;
  const core = () => h.deps;

  beforeAll(async () => {
    h = await createHarness({ 'retention.mode': 'COMPLIANCE', 'retention.classes.standard': 1 });
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath: makeDevice(join(h.dockDir, 'BWC-0400'), { 'a.mp4': 20_000, 'b.jpg': 3_000 }), volumeLabel: null });
    await h.waitForSession('BWC-0400');
    item = (await h.deps.catalog.queryItems({ device: 'BWC-0400', limit: 1 }))[0]!;
    env = {
      ...servicesEnv(h.endpoints, h.config.dockHost),
      EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'no-delete-')),
      EVIDOCK_RETENTION_MODE: 'COMPLIANCE',
      EVIDOCK_LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => h?.close());

  it('no CLI command removes or replaces a version of an original or manifest', { timeout: 600_000 }, async () => {
    const before = await versionsOf(h);
    const input = join(mkdtempSync(join(tmpdir(), 'no-delete-input-')), 'input.json');
    writeFileSync(input, '[]');
    // A plausible value for each argument or mandatory option, by its name: the commands must run, not only parse.
    const valueFor = (name: string) =>
      /item|^ids?$/i.test(name) ? item.id : /sha/i.test(name) ? item.sha256 : /serial|device/i.test(name) ? 'BWC-0400'
      : /badge|person|officer|^by$/i.test(name) ? 'B-1' : /case/i.test(name) ? 'CASE-1' : /file|path/i.test(name) ? input : 'x';
    const leaves = (await allCommands()).filter((l) => l.path[0] !== 'start');
    expect(leaves.map((l) => l.path.join(' '))).toEqual(expect.arrayContaining(['query', 'status', 'verify', 'reindex', 'trail', 'retention']));
    const ran: string[] = [];
    const queue = [...leaves];
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (let leaf = queue.shift(); leaf; leaf = queue.shift()) {
        const args = [...leaf.path];
        for (const a of leaf.command.registeredArguments) if (a.required || a.variadic) args.push(valueFor(a.name()));
        for (const o of leaf.command.options) {
          const flag = o.long ?? o.short!;
          const name = o.attributeName();
          if (name === 'json' || name === 'item') args.push(...(name === 'item' ? [flag, item.id] : [flag]));
          else if (name === 'reason' || name === 'by' || o.mandatory) args.push(flag, valueFor(name === 'reason' ? 'x' : name));
        }
        const result = await runCli(args, env, { timeoutMs: 30_000 });
        ran.push(`${args.join(' ')} → ${result.timedOut ? 'still running after 30 s, stopped' : `exit ${result.code}`}`);
      }
    }));
    expect(ran).toHaveLength(leaves.length);
    // What ran, for whoever reads the test output (a command may fail on its made-up input: it ran all the same).
    process.stdout.write(`${ran.sort().join('\n')}\n`);
    expect(await versionsOf(h)).toEqual(before);
    expect((await verifyIntegrity({ store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects, lockRecords: core().lockRecords })).mismatches).toEqual([]);
  });

  it("refuses to delete a stored original or manifest through MinIO with the daemon's own credentials, bypass or not (COMPLIANCE)", async () => {
    const client = minioClient(h.endpoints.minio);
    const bucket = h.endpoints.minio.bucket;
    const manifest = (await h.deps.store.stat(item.objects.manifest))!;
    for (const [key, versionId] of [[item.objects.original, item.objects.originalVersion!], [manifest.key, manifest.versionId!]] as const) {
      await expect(client.removeObject(bucket, key, { versionId }), key).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
      await expect(client.removeObject(bucket, key, { versionId, governanceBypass: true }), key).rejects.toThrow(/WORM|retention|locked|Access Denied/i);
    }
    await expect(core().objects.retain({ key: item.objects.original, versionId: item.objects.originalVersion }, 'COMPLIANCE', new Date(Date.now() + 3_600_000))).rejects.toThrow();
    expect((await h.deps.store.stat(item.objects.original, item.objects.originalVersion))?.size).toBe(item.size);
  });

  it("refuses even a delete without a version (a delete marker) under items/ and audit/ with the daemon's own MinIO user", async () => {
    const client = minioClient(h.endpoints.minio);
    await expect(client.removeObject(h.endpoints.minio.bucket, item.objects.original)).rejects.toThrow(/Access Denied/i);
    const sealKeys: string[] = [];
    for await (const key of core().objects.keys('audit/')) sealKeys.push(key);
    // The CLI commands above sealed what they appended.
    expect(sealKeys.length).toBeGreaterThan(0);
    for (const key of sealKeys) await expect(client.removeObject(h.endpoints.minio.bucket, key), key).rejects.toThrow(/Access Denied/i);
    const report = await verifyIntegrity({ store: h.deps.store, objects: core().objects, logReader: core().logReader, subjects: core().verifySubjects, lockRecords: core().lockRecords });
    expect(report.mismatches).toEqual([]);
  });
});
