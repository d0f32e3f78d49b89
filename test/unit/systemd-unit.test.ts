import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';

/**
 * deploy/evidock.service, checked with systemd's own tool on the file (systemd is not PID 1 here: `verify`
 * and `security --offline` read the unit file alone; scripts/provision.sh installs systemd-analyze).
 */
const unitText = readFileSync(join(import.meta.dirname, '../../deploy/evidock.service'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'evidock-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every value of `key` in the unit, in order (a key may repeat). */
const values = (key: string) => [...unitText.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!.trim());

async function analyze(args: string[], text: string, name = 'evidock.service'): Promise<{ code: number; stdout: string; stderr: string }> {
  const folder = mkdtempSync(join(work, 'u-'));
  writeFileSync(join(folder, name), text);
  try {
    const { stdout, stderr } = await promisify(execFile)('systemd-analyze', [...args, join(folder, name)], { cwd: folder });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('systemd-analyze is not installed: run scripts/provision.sh (Debian package "systemd")');
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('deploy/evidock.service', () => {
  it('passes systemd-analyze verify with no warning (and verify does flag a bad key, so the check can fail)', async () => {
    const good = await analyze(['verify', '--man=no'], unitText);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    const bad = await analyze(['verify', '--man=no'], unitText.replace(/^UMask=/m, 'Umask='));
    expect(bad.stderr).toMatch(/Unknown key 'Umask'/);
  });

  it('scores at most 4.0 in systemd-analyze security --offline', async () => {
    const run = await analyze(['security', '--offline=yes', '--no-pager'], unitText);
    const score = Number(/Overall exposure level for evidock\.service: ([\d.]+)/.exec(run.stdout)?.[1]);
    expect(score, run.stdout).toBeLessThanOrEqual(4.0);
  });

  it('starts on a host without /run/media or /mnt: every dock path is optional ("-"), the data dir is a StateDirectory', () => {
    const paths = values('ReadWritePaths').flatMap((line) => line.split(/\s+/));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith('-'))).toEqual([]);
    // The default mount roots, where recorders appear (and are wiped), are all writable.
    const mountRoots = configSchema.parse({}).devices.mountRoots;
    expect(mountRoots.filter((root) => !paths.includes(`-${root}`))).toEqual([]);
    expect(values('StateDirectory')).toEqual(['evidock']);
    expect(values('Environment')).toContain('EVIDOCK_DATA_DIR=/var/lib/evidock');
  });

  it('sets UMask=0027, an empty capability bounding set, the @system-service call filter and ProtectSystem=strict', () => {
    expect(values('UMask')).toEqual(['0027']);
    expect(values('CapabilityBoundingSet')).toEqual(['']);
    expect(values('SystemCallFilter')).toContain('@system-service');
    expect(values('ProtectSystem')).toEqual(['strict']);
    expect(values('NoNewPrivileges')).toEqual(['yes']);
  });

  it('runs the compiled daemon, not the TypeScript sources', () => {
    const [execStart] = values('ExecStart');
    expect(execStart).toMatch(/^\/usr\/bin\/node \S+\/dist\/cli\/main\.js start$/);
    expect(unitText).not.toMatch(/tsx/);
  });
});
