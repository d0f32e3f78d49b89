import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import { runCli, servicesEnv, withCliPeople } from '../support/cli.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

/**
 * The CLI's exit codes and failure output (docs/cli-json.md, "Exit codes"), and query's answers for a hash
 * prefix, an empty result and a cut by --limit: run as a user runs them, as separate processes.
 */
describe('evidock exit codes and failures', () => {
  let h: Harness;
  let items: EvidenceItem[];
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await createHarness();
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath: makeDevice(join(h.dockDir, 'BWC-0900'), { 'a.mp4': 9_000, 'b.jpg': 3_000, 'c.jpg': 4_000 }), volumeLabel: null });
    await h.waitForSession('BWC-0900');
    items = await h.deps.catalog.queryItems({ device: 'BWC-0900' });
    // The CLI acts as a person on record (issue 13): an auditor reads.
    env = await withCliPeople({ ...servicesEnv(h.endpoints, h.config.dockHost), EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-contract-')), EVIDOCK_LOG_LEVEL: 'silent' }, [['AUD-1', 'auditor']], 'AUD-1');
  });
  afterAll(async () => h?.close());

  it('0 with --version; 2 for a usage error, with {error:{code,message}} under --json', async () => {
    expect(await runCli(['--version'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    const bad = await runCli(['query', '--bogus', '--json'], env);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({ error: { code: 'usage', message: expect.stringContaining("unknown option '--bogus'") } });
    const badSha = await runCli(['query', '--sha256', 'zz', '--json'], env);
    expect(badSha.code).toBe(2);
    expect(JSON.parse(badSha.stdout).error.message).toMatch(/not a SHA-256 or a prefix/);
  });

  it('3 when the daemon that runs the embedded services is not running; 69 when a configured service does not answer; 78 for bad configuration', async () => {
    const noDaemon = await runCli(['status', '--json'], { EVIDOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-nodaemon-')) });
    expect(noDaemon.code).toBe(3);
    expect(JSON.parse(noDaemon.stdout)).toEqual({ error: { code: 'daemon-not-running', message: expect.stringContaining('is the daemon running?') } });

    const closed = { ...env, EVIDOCK_REDIS_URL: 'redis://127.0.0.1:1', EVIDOCK_POSTGRES_URL: 'postgres://x@127.0.0.1:1/x', EVIDOCK_MINIO_URL: 'http://127.0.0.1:1' };
    const unavailable = await runCli(['status', '--json'], closed, { timeoutMs: 60_000 });
    expect(unavailable.code).toBe(69);
    expect(JSON.parse(unavailable.stdout).error.code).toBe('service-unavailable');

    const configFile = join(mkdtempSync(join(tmpdir(), 'cli-badconfig-')), 'evidock.json');
    writeFileSync(configFile, JSON.stringify({ timeZone: 'Mars/Olympus' }));
    const config = await runCli(['status', '--json'], { ...env, EVIDOCK_CONFIG: configFile });
    expect(config.code).toBe(78);
    expect(JSON.parse(config.stdout).error).toEqual({ code: 'config', message: expect.stringContaining('timeZone') });
  });

  it('--sha256 takes a prefix, and an empty result says so on the terminal', async () => {
    const one = items[0]!;
    const byPrefix = await runCli(['query', '--sha256', one.sha256.slice(0, 8).toUpperCase(), '--json'], env);
    expect(byPrefix.code).toBe(0);
    expect(JSON.parse(byPrefix.stdout).map((r: { id: string }) => r.id)).toEqual([one.id]);

    const none = await runCli(['query', '--sha256', 'ffffff0000', '--device', 'NOPE'], env);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'no items match these filters\n' });
    const noneJson = await runCli(['query', '--device', 'NOPE', '--json'], env);
    expect(noneJson).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(noneJson.stdout)).toEqual([]);
  });

  it('says how many items --limit left out, on stderr so the JSON stays the contract', async () => {
    const cut = await runCli(['query', '--device', 'BWC-0900', '--limit', '2', '--json'], env);
    expect(cut.code).toBe(0);
    expect(JSON.parse(cut.stdout)).toHaveLength(2);
    expect(cut.stderr).toBe('showing 2 of 3 items: 1 left out by --limit 2 (raise it or narrow the filters)\n');
    const all = await runCli(['query', '--device', 'BWC-0900', '--limit', '3', '--json'], env);
    expect(all.stderr).toBe('');
  });

  it('reads --since without an offset in the agency zone (timeZone)', async () => {
    // All three were captured now. The wall time now+6h, written without an offset, is now-8h in UTC+14
    // (all three are after it) and now+18h in UTC-12 (none is).
    const wall = new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 16);
    const east = await runCli(['query', '--device', 'BWC-0900', '--since', wall, '--json'], { ...env, EVIDOCK_TIME_ZONE: 'Pacific/Kiritimati' });
    const west = await runCli(['query', '--device', 'BWC-0900', '--since', wall, '--json'], { ...env, EVIDOCK_TIME_ZONE: 'Etc/GMT+12' });
    expect(JSON.parse(east.stdout)).toHaveLength(3);
    expect(JSON.parse(west.stdout)).toHaveLength(0);
  });
});
