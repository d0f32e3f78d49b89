import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveDevice } from '../../src/app/dock/approval.ts';
import { type BayJson, bayJson } from '../../src/app/contracts.ts';
import { startDocking } from '../../src/app/dock/docking.ts';
import { deviceAdapters } from '../../src/main/roles/dock.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import { createLogger } from '../../src/log.ts';
import type { ProcessorTable } from '../../src/ports/jobs.ts';
import { createHarness, type Harness, waitFor } from '../support/harness.ts';
import { LoopRig } from '../support/loop-devices.ts';

/**
 * Real removable storage (exFAT and FAT images on loop devices, mounted with FUSE) appearing under a
 * mount root while the dock watches, with real Redis, PostgreSQL and MinIO behind. Needs root.
 */
describe('mounted storage docks by itself (real file systems, real services)', () => {
  const rig = new LoopRig();
  const root = mkdtempSync(join(tmpdir(), 'evidock-media-root-'));
  const logLines: string[] = [];
  const started: string[] = [];
  let h: Harness;
  let docking: { stop(): Promise<void> };

  const logged = (msg: string, mountPath: string) =>
    logLines.map((l) => JSON.parse(l) as { msg: string; mountPath?: string }).some((l) => l.msg === msg && l.mountPath === mountPath);

  async function bays(): Promise<BayJson[]> {
    const now = new Date();
    const sessions = await h.deps.catalog.recentSessions(3600_000, now);
    const info = await h.deps.docks.bays(sessions.map((s) => s.id));
    return sessions.map((s) => bayJson(s, info.get(s.id) ?? null, now));
  }
  const bayOf = async (serial: string) => (await bays()).filter((b) => b.deviceSerial === serial).at(-1) ?? null;
  /** The bay of `serial` (at `mountPath`, if given) once it reaches `state`; a timeout says where it stood. */
  const until = async (serial: string, state: string, mountPath?: string) => {
    let last: BayJson | null = null;
    return waitFor(`${serial} ${state}`, async () => {
      last = (await bays()).filter((b) => b.deviceSerial === serial && (!mountPath || b.mountPath === mountPath)).at(-1) ?? null;
      return last?.state === state ? last : null;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${JSON.stringify(last)}`);
    });
  };

  /** Records the order files are taken in; one file fails as a bad sector would. */
  const tracking = (table: ProcessorTable): ProcessorTable => ({
    ...table,
    'secure-file': async (payload, ctx) => {
      started.push(`${payload.deviceSerial}:${payload.relPath}`);
      if (payload.relPath === 'DCIM/BAD.MP4') throw new PermanentError('the device returned a read error for this file', 'read-error');
      return table['secure-file'](payload, ctx);
    },
  });

  beforeAll(async () => {
    h = await createHarness({
      'devices.mountRoots': [root],
      'devices.usb': false,
      'devices.maxConcurrent': 2,
      'devices.models': [
        { name: 'Acme BWC-7', type: 'body-camera', labelPattern: '^BWC', markerFiles: ['ACME/BWC.INI'], important: { namePattern: '_IMP\\.', sidecarExtensions: ['.LCK'] }, clockFile: 'CLOCK.TXT' },
        { name: 'Acme Wiper', type: 'video-camera', labelPattern: '^WIPE', wipe: 'after-verified' },
      ],
    });
    // One device is mounted before the dock starts: no mount event will ever come for it.
    const early = await rig.image('exfat', 'BWC0001', { 'DEVICE_ID.txt': 'BWC-EARLY\n', 'DCIM/100/A.MP4': 20_000, 'DCIM/100/B.MP4': 30_000 });
    await rig.mount(early, 'exfat', join(root, 'BWC0001'));
    h.startWorkers(tracking);
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (logLines.push(...String(chunk).trim().split('\n')), done()) }));
    docking = await startDocking({ ...h.deps, log }, deviceAdapters({ ...h.deps, log }));
  });

  afterAll(async () => {
    await docking?.stop();
    await h?.close();
    await rig.cleanup();
  });

  it('finds a device mounted before it started, and secures it; the bay is its mount point', async () => {
    const bay = await until('BWC-EARLY', 'secured');
    expect(bay).toMatchObject({
      safeToUndock: true, filesSecured: 2, filesTotal: 2, bytesSecured: 50_000, via: 'mount', bay: join(root, 'BWC0001'),
      model: 'Acme BWC-7', deviceType: 'body-camera', deviceStatus: 'approved', usb: null, readOnly: false,
      wipe: { policy: 'never', state: null, filesDeleted: 0, reason: null },
    });
    expect(bay.bytesPerSecond).toBeGreaterThan(0);
  });

  it('notices a FAT device mounted later within a couple of seconds (mount table read every second), known by its marker file', async () => {
    // fusefat names no block device in the mount table, so there is no label to read: the marker file tells the model.
    const image = await rig.image('vfat', 'BWC0002', { 'DEVICE_ID.txt': 'BWC-FAT', 'ACME/BWC.INI': 'model=7', 'DCIM/100/C.JPG': 5000 });
    await rig.mount(image, 'vfat', join(root, 'BWC0002'));
    await waitFor('BWC-FAT detected', () => bayOf('BWC-FAT'), 3000);
    expect(await until('BWC-FAT', 'secured')).toMatchObject({ filesSecured: 1, filesTotal: 1, model: 'Acme BWC-7' });
  });

  it('leaves a plain USB stick alone, saying so in the log', async () => {
    const image = await rig.image('exfat', 'KINGSTON', { 'report.docx': 100, 'holiday.jpg': 200 });
    const storage = await rig.mount(image, 'exfat', join(root, 'KINGSTON'));
    await waitFor('the stick to be looked at', async () => logged('not a recorder: left alone', storage.mountPath), 5000);
    expect((await bays()).filter((b) => b.mountPath === storage.mountPath)).toEqual([]);
    expect(await h.deps.docks.deviceStatus('KINGSTON')).toBeNull();
  });

  it('holds a recorder of no configured model until an admin approves it, then secures it', async () => {
    const image = await rig.image('exfat', 'NONAME', { 'DEVICE_ID.txt': 'UNKNOWN-7', 'DCIM/100/D.MP4': 4000 });
    await rig.mount(image, 'exfat', join(root, 'NONAME'));
    const held = await until('UNKNOWN-7', 'held');
    expect(held).toMatchObject({ deviceStatus: 'pending', safeToUndock: false, filesTotal: 0, reason: expect.stringContaining('evidock devices approve UNKNOWN-7') });
    expect(started.filter((s) => s.startsWith('UNKNOWN-7'))).toEqual([]);

    await expect(approveDevice(h.deps, 'UNKNOWN-7', { actor: 'admin-1', at: new Date(), reason: 'new recorder of unit 3' })).resolves.toEqual({ outcome: 'approved', released: 1 });
    expect(await until('UNKNOWN-7', 'secured')).toMatchObject({ deviceStatus: 'approved', filesSecured: 1 });
    const events = await h.deps.catalog.custodyEvents({ sessionId: held.sessionId });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['device-detected', 'device-held', 'file-found', 'hashed', 'verified']));
    await expect(approveDevice(h.deps, 'NO-SUCH-SERIAL', { actor: 'admin-1', at: new Date(), reason: null })).rejects.toThrow(/no device with serial "NO-SUCH-SERIAL"/);
  });

  it('wipes only what is stored and verified, one custody event per deleted file, then says safe to undock', async () => {
    const files = { 'DEVICE_ID.txt': 'WIPE-1', 'DCIM/E.MP4': 6000, 'DCIM/F.MP4': 7000, 'DCIM/BAD.MP4': 500, 'DCIM/notes.txt': 'not media' };
    const image = await rig.image('exfat', 'WIPE1', files);
    const storage = await rig.mount(image, 'exfat', join(root, 'WIPE1'));
    const bay = await until('WIPE-1', 'attention');
    expect(bay).toMatchObject({ filesSecured: 2, filesFailed: 1, wipe: { policy: 'after-verified', state: 'done', filesDeleted: 2 } });
    expect(readdirSync(join(storage.mountPath, 'DCIM')).sort()).toEqual(['BAD.MP4', 'notes.txt']);
    const wiped = (await h.deps.catalog.custodyEvents({ sessionId: bay.sessionId })).filter((e) => e.type === 'file-wiped');
    expect(wiped.map((e) => e.filePath).sort()).toEqual(['DCIM/E.MP4', 'DCIM/F.MP4']);
    for (const e of wiped) expect(e.itemId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('refuses to wipe a read-only device, with the reason, and secures it all the same', async () => {
    const image = await rig.image('exfat', 'WIPE2', { 'DEVICE_ID.txt': 'WIPE-RO', 'DCIM/G.MP4': 3000 });
    const storage = await rig.mount(image, 'exfat', join(root, 'WIPE2'), { readOnly: true });
    const bay = await until('WIPE-RO', 'secured');
    expect(bay).toMatchObject({ safeToUndock: true, readOnly: true, filesSecured: 1, wipe: { state: 'refused', filesDeleted: 0, reason: expect.stringMatching(/read-only.*nothing was deleted/) } });
    expect(existsSync(join(storage.mountPath, 'DCIM/G.MP4'))).toBe(true);
    expect((await h.deps.catalog.custodyEvents({ sessionId: bay.sessionId })).map((e) => e.type)).toContain('wipe-refused');
  });

  it('refuses the second of two devices with one serial, with an alert, and does not merge them', async () => {
    await h.stopWorkers();
    const first = await rig.image('exfat', 'BWC0003', { 'DEVICE_ID.txt': 'TWIN-1', 'DCIM/H.MP4': 1000 });
    const second = await rig.image('exfat', 'BWC0004', { 'DEVICE_ID.txt': 'TWIN-1', 'DCIM/I.MP4': 1000 });
    await rig.mount(first, 'exfat', join(root, 'BWC0003'));
    await waitFor('the first twin', () => bayOf('TWIN-1'), 5000);
    const twin = await rig.mount(second, 'exfat', join(root, 'BWC0004'));
    const refused = await waitFor('the second twin refused', async () => (await bays()).find((b) => b.mountPath === twin.mountPath && b.state === 'refused'), 5000);
    expect(refused.reason).toMatch(/a device with serial TWIN-1 is already docked at .*BWC0003/);
    expect(logLines.some((l) => l.includes('"alert":"duplicate-serial"'))).toBe(true);
    h.startWorkers(tracking);
    expect(await until('TWIN-1', 'secured', join(root, 'BWC0003'))).toMatchObject({ filesSecured: 1 });
    expect((await h.deps.catalog.queryItems({ device: 'TWIN-1' })).map((i) => i.originalPath)).toEqual(['DCIM/H.MP4']);
  });

  it('works on at most devices.maxConcurrent devices at once; the rest wait in docking order', async () => {
    await h.stopWorkers();
    const serials = ['BAY-1', 'BAY-2', 'BAY-3', 'BAY-4'];
    for (const [i, serial] of serials.entries()) {
      const image = await rig.image('exfat', `BWC1${i}`, { 'DEVICE_ID.txt': serial, 'DCIM/J.MP4': 2000 + i });
      await rig.mount(image, 'exfat', join(root, `BWC1${i}`));
      await waitFor(`${serial} docked`, () => bayOf(serial), 5000);
    }
    const states = await Promise.all(serials.map(async (s) => (await bayOf(s))!));
    expect(states.map((b) => [b.deviceSerial, b.state, b.queuePosition])).toEqual([
      ['BAY-1', 'scanning', null], ['BAY-2', 'scanning', null], ['BAY-3', 'waiting', 1], ['BAY-4', 'waiting', 2],
    ]);
    h.startWorkers(tracking);
    for (const serial of serials) expect(await until(serial, 'secured')).toMatchObject({ filesSecured: 1 });
    const startedAt = (serial: string) => started.indexOf(`${serial}:DCIM/J.MP4`);
    expect(Math.max(startedAt('BAY-1'), startedAt('BAY-2'))).toBeLessThan(Math.min(startedAt('BAY-3'), startedAt('BAY-4')));
  });

  it('secures the files the device marks important first, and flags a device clock that is off', async () => {
    await h.stopWorkers();
    const ahead = new Date(Date.now() + 2 * 3600_000).toISOString();
    const image = await rig.image('exfat', 'BWC0005', {
      'DEVICE_ID.txt': 'BWC-PRIO', 'CLOCK.TXT': ahead,
      'DCIM/K1.MP4': 1000, 'DCIM/K2.MP4': 1000, 'DCIM/K3_IMP.MP4': 1000, 'DCIM/K4.MP4': 1000, 'DCIM/K5.MP4': 1000, 'DCIM/K5.LCK': '', 'DCIM/K6.MP4': 1000,
    });
    await rig.mount(image, 'exfat', join(root, 'BWC0005'));
    await waitFor('BWC-PRIO docked', () => bayOf('BWC-PRIO'), 5000);
    const before = started.length;
    h.startWorkers(tracking);
    const bay = await until('BWC-PRIO', 'secured');
    expect(started.slice(before, before + 2).sort()).toEqual(['BWC-PRIO:DCIM/K3_IMP.MP4', 'BWC-PRIO:DCIM/K5.MP4']);
    expect(bay).toMatchObject({ clockDriftFlagged: true, clockDriftSource: 'clock-file' });
    expect(bay.clockDriftMs).toBeGreaterThan(7000_000);
    expect((await h.deps.catalog.custodyEvents({ sessionId: bay.sessionId })).map((e) => e.type)).toContain('clock-drift');
    const items = await h.deps.catalog.queryItems({ device: 'BWC-PRIO' });
    const drift = await h.deps.docks.clockDriftOf(items.map((i) => i.id));
    expect(items).toHaveLength(6);
    for (const item of items) expect(drift.get(item.id)).toBe(bay.clockDriftMs);
  });

  it('a device with only non-media files is safe to undock at once, every file recorded with its reason', async () => {
    const image = await rig.image('exfat', 'BWC0006', { 'DEVICE_ID.txt': 'BWC-NOMEDIA', 'LOG/sys.log': 'boot', 'SETTINGS.INI': 'x=1' });
    await rig.mount(image, 'exfat', join(root, 'BWC0006'));
    const bay = await until('BWC-NOMEDIA', 'secured');
    expect(bay).toMatchObject({ safeToUndock: true, filesTotal: 0, filesSecured: 0 });
    expect(await h.deps.catalog.sessionFile(bay.sessionId, 'LOG/sys.log')).toMatchObject({ state: 'refused', reason: expect.stringMatching(/not a media file/) });
  });

  /** The mountinfo line of `mountPath` without its options: what the kernel reuses (mount id, device number, source). */
  const lineAt = (mountPath: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === mountPath)?.split(' ').slice(0, 5).join(' ');

  it('a device swapped for another at the same place, at once, is undocked and the other docked, every time', async () => {
    const swaps = 20;
    const bay = join(root, 'SWAP');
    const serials = Array.from({ length: swaps + 1 }, (_, i) => `SWAP-${i}`);
    const images: string[] = [];
    for (const [i, serial] of serials.entries()) images.push(await rig.image('exfat', 'BWCSWAP', { 'DEVICE_ID.txt': serial, 'DCIM/S.MP4': 1000 + i }, { sizeMb: 8 }));
    let storage = await rig.mount(images[0]!, 'exfat', bay);
    let sameLine = 0;
    for (let i = 1; i <= swaps; i++) {
      expect(await until(serials[i - 1]!, 'secured', bay)).toMatchObject({ filesSecured: 1 });
      const before = lineAt(bay);
      await rig.unmount(storage);
      storage = await rig.mount(images[i]!, 'exfat', bay);
      if (lineAt(bay) === before) sameLine++;
    }
    expect(await until(serials[swaps]!, 'secured', bay)).toMatchObject({ filesSecured: 1 });
    for (const [i, serial] of serials.entries()) expect((await h.deps.catalog.queryItems({ device: serial })).map((item) => item.size), serial).toEqual([1000 + i]);
    // The kernel gave the same mount id, device number and source to the next volume: the case a key on the line alone misses.
    expect(sameLine).toBeGreaterThan(0);
    await rig.unmount(storage);
  }, 90_000);

  it('a device swapped out before it was secured: its session ends as undocked, the new one is docked and secured', async () => {
    await h.stopWorkers();
    const bay = join(root, 'SWAP2');
    const first = await rig.image('exfat', 'BWCSWAP', { 'DEVICE_ID.txt': 'SWAP-OUT', 'DCIM/T.MP4': 2000 }, { sizeMb: 8 });
    const second = await rig.image('exfat', 'BWCSWAP', { 'DEVICE_ID.txt': 'SWAP-IN', 'DCIM/U.MP4': 3000 }, { sizeMb: 8 });
    const out = await rig.mount(first, 'exfat', bay);
    await waitFor('SWAP-OUT docked', () => bayOf('SWAP-OUT'), 5000);
    await rig.unmount(out);
    await rig.mount(second, 'exfat', bay);
    const interrupted = await until('SWAP-OUT', 'interrupted', bay);
    expect(interrupted.reason).toMatch(/device removed \(unmounted\)/);
    expect((await h.deps.catalog.custodyEvents({ sessionId: interrupted.sessionId })).map((e) => e.type)).toContain('device-undocked');
    h.startWorkers(tracking);
    expect(await until('SWAP-IN', 'secured', bay)).toMatchObject({ filesSecured: 1 });
  });
});
