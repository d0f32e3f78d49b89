import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BayJson } from '../../src/app/contracts.ts';
import { runCli, startDaemonProcess, type DaemonProcess, withCliPeople } from '../support/cli.ts';
import { waitFor } from '../support/harness.ts';
import { configuredServicesEnv } from '../support/daemon-env.ts';
import { LoopRig } from '../support/loop-devices.ts';

/** An officer plugs recorders into a dock PC running `evidock start`; an admin approves an unknown one from the CLI. */
describe('docking recorders on a running daemon', () => {
  const rig = new LoopRig();
  const root = mkdtempSync(join(tmpdir(), 'e2e-media-'));
  let env: Record<string, string>;
  let daemon: DaemonProcess;

  async function bay(serial: string): Promise<BayJson | null> {
    const { code, stdout, stderr } = await runCli(['status', '--json'], env);
    if (code !== 0) throw new Error(`status failed: ${stderr}`);
    return (JSON.parse(stdout) as { docks: BayJson[] }).docks.filter((d) => d.deviceSerial === serial).at(-1) ?? null;
  }
  const until = (serial: string, state: string) =>
    waitFor(`${serial} ${state}`, async () => {
      const b = await bay(serial);
      return b?.state === state ? b : null;
    }, 60_000);

  beforeAll(async () => {
    env = {
      ...(await configuredServicesEnv(mkdtempSync(join(tmpdir(), 'e2e-dock-')), 'e2e-docking')),
      EVIDOCK_ROLES: 'dock',
      EVIDOCK_DEVICES_MOUNT_ROOTS: root,
      EVIDOCK_DEVICES_MODELS: JSON.stringify([{ name: 'Acme BWC-7', type: 'body-camera', labelPattern: '^BWC', wipe: 'after-verified' }]),
    };
    daemon = startDaemonProcess(env);
    await daemon.waitForLog('evidock started');
    env = await withCliPeople(env, [['admin-7', 'admin']], 'admin-7');
  }, 300_000);

  afterAll(async () => {
    await daemon?.stop();
    await rig.cleanup();
  });

  it('a known model is secured, wiped and shown safe to undock; status shows the bay', async () => {
    const image = await rig.image('exfat', 'BWC0042', { 'DEVICE_ID.txt': 'E2E-CAM-1', 'DCIM/100MEDIA/FILE0001.MP4': 300_000, 'DCIM/100MEDIA/FILE0002.MP4': 2000 });
    const storage = await rig.mount(image, 'exfat', join(root, 'BWC0042'));
    const dock = await until('E2E-CAM-1', 'secured');
    expect(dock).toMatchObject({
      safeToUndock: true, filesSecured: 2, filesTotal: 2, bay: storage.mountPath, via: 'mount', model: 'Acme BWC-7', deviceType: 'body-camera',
      deviceStatus: 'approved', wipe: { policy: 'after-verified', state: 'done', filesDeleted: 2, reason: null },
    });
    const { stdout } = await runCli(['status'], env);
    expect(stdout).toMatch(/E2E-CAM-1\s+\[#{30}\] 2\/2 files .* SAFE TO UNDOCK/);
    expect(stdout).toContain(`bay ${storage.mountPath}  Acme BWC-7`);
    expect(stdout).toContain('wiped: 2 files deleted from the device');
  });

  it('an unknown recorder is held until `evidock devices approve`, then secured', async () => {
    const image = await rig.image('exfat', 'CAMERA', { 'DEVICE_ID.txt': 'E2E-UNKNOWN', 'DCIM/100/IMG_0001.JPG': 4000 });
    await rig.mount(image, 'exfat', join(root, 'CAMERA'));
    const held = await until('E2E-UNKNOWN', 'held');
    expect(held).toMatchObject({ safeToUndock: false, deviceStatus: 'pending', reason: expect.stringContaining('evidock devices approve E2E-UNKNOWN') });
    expect((await runCli(['status'], env)).stdout).toMatch(/E2E-UNKNOWN .* HELD[\s\S]*\(not approved\)/);

    const approved = await runCli(['devices', 'approve', 'E2E-UNKNOWN', '--reason', 'camera of the inspection team', '--by', 'admin-7'], env);
    expect(approved).toMatchObject({ code: 0, stdout: expect.stringContaining('device E2E-UNKNOWN approved; 1 held session(s) start shortly') });
    expect(await until('E2E-UNKNOWN', 'secured')).toMatchObject({ filesSecured: 1, deviceStatus: 'approved', wipe: { policy: 'never', state: null } });

    const unknown = await runCli(['devices', 'approve', 'NOBODY-1'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no device with serial "NOBODY-1"/);
  });
});
