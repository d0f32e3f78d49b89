import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ItemJson } from '../../src/app/contracts.ts';
import { runCli, startDaemonProcess, type DaemonProcess, withCliPeople } from '../support/cli.ts';
import { makeDevice, waitFor } from '../support/harness.ts';
import { configuredServicesEnv } from '../support/daemon-env.ts';
import { dropDatabase, freshDatabase } from '../support/isolation.ts';

/** The integrity commands as a user runs them, against a daemon that secured a device and was stopped. */
describe('verify, trail, retention and reindex from the CLI', () => {
  let env: Record<string, string>;
  let daemon: DaemonProcess;
  let items: ItemJson[];
  const dockDir = mkdtempSync(join(tmpdir(), 'e2e-dock-'));
  const cli = async (args: string[]) => {
    const result = await runCli(args, env);
    if (result.code !== 0) throw new Error(`evidock ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };

  beforeAll(async () => {
    env = { ...(await configuredServicesEnv(dockDir, 'e2e-integrity')), EVIDOCK_ROLES: 'dock' };
    daemon = startDaemonProcess(env);
    await daemon.waitForLog('evidock started');
    env = await withCliPeople(env, [['A-1', 'auditor'], ['AUD-2', 'auditor']], 'AUD-2');
    makeDevice(join(dockDir, 'E2E-CAM-8'), { 'DCIM/1.MP4': 200_000, 'DCIM/2.JPG': 5_000, 'REC/3.WAV': 7_000 });
    items = await waitFor('three items', async () => {
      const found = JSON.parse(await cli(['query', '--json', '--device', 'E2E-CAM-8'])) as ItemJson[];
      return found.length === 3 ? found : null;
    }, 60_000);
    // Wait until the device is safe to undock (every item locked), then stop: the stop seals the chain head.
    await waitFor('safe to undock', async () => (JSON.parse(await cli(['status', '--json'])).docks as Array<{ safeToUndock: boolean }>).every((d) => d.safeToUndock));
    expect(await daemon.stop()).toBe(0);
  }, 300_000);

  afterAll(async () => daemon?.stop());

  it('leaves the chain head sealed when the daemon stops (by its stop, or by the CLI command that appended last)', async () => {
    const result = await runCli(['verify', '--json'], env);
    expect(result.stderr).toBe('');
    const { chain } = JSON.parse(result.stdout);
    expect(chain.lastSealedSeq).toBe(chain.head.seq);
  });

  it('verify --all finds every item, the chain and the seal in order', async () => {
    const report = JSON.parse(await cli(['verify', '--all', '--json']));
    expect(report).toMatchObject({ ok: true, items: { checked: 3, total: 3 }, mismatches: [] });
    expect(report.chain.seals).toBeGreaterThanOrEqual(1);
    expect(report.chain.lastSealedSeq).toBe(report.chain.head.seq);
    const sample = JSON.parse(await cli(['verify', '--sample', '2', '--json']));
    expect(sample.items.checked).toBe(2);
    const refused = await runCli(['verify', '--sample', '2', '--all'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/exclude each other/);
  });

  it("exports an item's trail as JSON and CSV, with chain hashes, and records the export", async () => {
    const item = items[0]!;
    const trail = JSON.parse(await cli(['trail', '--item', item.id, '--format', 'json', '--by', 'A-1', '--reason', 'court request 12']));
    expect(trail.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['hashed', 'stored', 'verified', 'manifest-written', 'retention-set']));
    expect(trail[0]).toMatchObject({ itemId: item.id, kind: 'custody', hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The queries that returned the item are in its trail: who saw it, from where.
    expect(trail).toContainEqual(expect.objectContaining({ kind: 'audit', type: 'query', details: expect.objectContaining({ target: expect.stringContaining('E2E-CAM-8'), from: expect.stringMatching(/^cli:[^@]+@/), itemIds: expect.arrayContaining([item.id]) }) }));
    const csv = (await cli(['trail', '--item', item.id, '--format', 'csv'])).split('\r\n');
    expect(csv[0]).toBe('seq,at,kind,type,actor,itemId,sessionId,deviceSerial,filePath,details,prevHash,hash');
    // The first JSON export is itself in the trail now: who, why, from where.
    expect(csv.some((line) => line.includes(',audit,trail-export,A-1,') && line.includes('court request 12'))).toBe(true);
    await runCli(['case', 'report', 'CASE-Z', '--json', '--by', 'A-1'], env);
    const person = JSON.parse(await cli(['trail', '--person', 'A-1', '--format', 'json']));
    expect(person.every((e: { actor: string }) => e.actor === 'A-1')).toBe(true);
    expect(person.map((e: { type: string; details: { result: string } }) => [e.type, e.details.result])).toEqual([['trail-export', 'ok'], ['case-report', 'failed']]);
    const unknown = await runCli(['trail', '--item', 'NO-SUCH-ITEM'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no log entries for item:NO-SUCH-ITEM/);
  });

  it('reports what retention would expire, and when', async () => {
    expect(JSON.parse(await cli(['retention', '--within-days', '30', '--json']))).toEqual([]);
    const soon = JSON.parse(await cli(['retention', '--within-days', '5000', '--json']));
    expect(soon).toHaveLength(6);
    expect(soon[0]).toMatchObject({ retentionClass: 'standard', mode: 'GOVERNANCE', retainUntil: expect.any(String), legalHolds: [] });
  });

  it('rebuilds a dropped catalog from the manifests: every item again, with its hash; verify passes after', { timeout: 180_000 }, async () => {
    await dropDatabase(inject('endpoints'), env.EVIDOCK_POSTGRES_URL!);
    env.EVIDOCK_POSTGRES_URL = await freshDatabase(inject('endpoints'));
    // The register went with the catalog: the install's people are put on record again.
    env = await withCliPeople(env, [['AUD-2', 'auditor']], 'AUD-2');
    expect(JSON.parse(await cli(['query', '--json']))).toEqual([]);
    // The old chain's seals are in the bucket but its log is gone: verify says so until a reindex records it.
    const before = await runCli(['verify', '--json'], env);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).mismatches).toEqual([expect.objectContaining({ kind: 'audit-log', problem: expect.stringMatching(/seals of another chain/) })]);

    expect(JSON.parse(await cli(['reindex', '--json', '--by', 'CLI-ADMIN']))).toEqual({ manifests: 3, restored: 3, alreadyPresent: 0, invalid: [] });
    const rebuilt = (JSON.parse(await cli(['query', '--json'])) as ItemJson[]);
    const pick = (i: ItemJson) => [i.id, i.sha256, i.size, i.kind, i.deviceSerial, i.originalPath, i.objects];
    expect(rebuilt.map(pick).sort()).toEqual(items.map(pick).sort());
    expect(JSON.parse(await cli(['reindex', '--json', '--by', 'CLI-ADMIN']))).toMatchObject({ restored: 0, alreadyPresent: 3 });
    expect(JSON.parse(await cli(['verify', '--json']))).toMatchObject({ ok: true, items: { checked: 3 } });
  });
});
