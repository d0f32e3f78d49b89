import { existsSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { scanDeviceProcessor } from '../../src/app/dock/scan.ts';
import { secureFileProcessor } from '../../src/app/dock/secure.ts';
import { wipeDeviceProcessor } from '../../src/app/dock/wipe.ts';
import { sessionTransition } from '../../src/domain/dock-session.ts';
import { itemKeys } from '../../src/domain/evidence.ts';
import { dockedSession, dockUnit, type DockUnit, jobContext, writeDevice } from '../support/dock-unit.ts';

const stateOf = async (u: DockUnit, sessionId: string) => (await u.catalog.sessionProgress(sessionId))?.state;

/** A session admitted to scanning, for a device folder holding `files`. */
async function admitted(u: DockUnit, serial: string, files: Record<string, string>) {
  const mountPath = writeDevice(join(u.device, serial), files);
  const sessionId = ulid();
  await u.docks.upsertDevice({ serial, serialSource: 'folder-name', label: null, seenAt: u.clock.now() });
  await u.docks.openSession({ id: sessionId, deviceSerial: serial, dockHost: u.config.dockHost, mountPath, startedAt: u.clock.now() });
  await u.docks.describeSession(sessionId, { via: 'folder', bay: mountPath, model: null, deviceType: null, usb: null, fsType: null, readOnly: false, deviceDev: null, wipePolicy: 'never' });
  return { sessionId, mountPath, payload: { sessionId, deviceSerial: serial, mountPath, deviceDev: null } };
}

/** A wiping session whose files were all secured and locked. */
async function wiping(u: DockUnit, serial: string, files: Record<string, string>) {
  const docked = await dockedSession(u, serial, files, 'after-verified');
  for (const job of docked.jobs) await secureFileProcessor(u.deps)(job, jobContext(1));
  expect(await stateOf(u, docked.sessionId)).toBe('wiping');
  return { ...docked, wipe: u.queues.named('wipe-device')[0]! };
}

describe('scan processor', () => {
  it('records every file (media pending, the rest refused with the reason), queues one secure job per media file, and moves to securing', async () => {
    const u = dockUnit();
    const { sessionId, payload } = await admitted(u, 'SCAN-1', { 'DCIM/A.MP4': 'a', 'REC/B.WAV': 'b', 'notes.txt': 'c' });
    await expect(scanDeviceProcessor(u.deps)(payload, jobContext())).resolves.toMatchObject({ outcome: 'scanned', media: 2, other: 1 });
    expect(await stateOf(u, sessionId)).toBe('securing');
    expect(await u.catalog.sessionFile(sessionId, 'notes.txt')).toMatchObject({ state: 'refused', reason: expect.stringMatching(/not a media file/) });
    expect(u.queues.named('secure-file').map((j) => j.relPath).sort()).toEqual(['DCIM/A.MP4', 'REC/B.WAV']);
    expect((await u.catalog.custodyEvents({ sessionId })).filter((e) => e.type === 'file-found')).toHaveLength(2);
  });

  it('a device with no media is safe to undock at once', async () => {
    const u = dockUnit();
    const { sessionId, payload } = await admitted(u, 'SCAN-2', { 'notes.txt': 'c' });
    await scanDeviceProcessor(u.deps)(payload, jobContext());
    expect(await stateOf(u, sessionId)).toBe('secured');
  });

  it('logs one line per bay state change, naming the session, device, bay and both states', async () => {
    const u = dockUnit();
    const lines: Array<Record<string, unknown>> = [];
    u.deps.log = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
    const { sessionId, mountPath, payload } = await admitted(u, 'SCAN-LOG', { 'notes.txt': 'c' });
    await scanDeviceProcessor(u.deps)(payload, jobContext());
    const moves = lines.filter((l) => l.sessionId === sessionId && 'from' in l && 'to' in l);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.at(-1)).toMatchObject({ deviceSerial: 'SCAN-LOG', bay: mountPath, to: 'secured' });
  });

  it('a device gone before the scan interrupts the session with the reason, and lists nothing', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, payload } = await admitted(u, 'SCAN-3', { 'A.MP4': 'a' });
    rmSync(mountPath, { recursive: true });
    await expect(scanDeviceProcessor(u.deps)(payload, jobContext())).resolves.toMatchObject({ outcome: 'interrupted', filesListed: 0 });
    expect(await u.catalog.sessionProgress(sessionId)).toMatchObject({ state: 'interrupted', reason: expect.stringMatching(/removed before the scan/) });
    expect(u.queues.named('secure-file')).toEqual([]);
  });

  it('a session that ended meanwhile is not scanned', async () => {
    const u = dockUnit();
    const { sessionId, payload } = await admitted(u, 'SCAN-4', { 'A.MP4': 'a' });
    await u.docks.moveSession(sessionId, sessionTransition('scanning', 'interrupted', { reason: 'gone', at: u.clock.now(), event: 'device-undocked' }), []);
    await expect(scanDeviceProcessor(u.deps)(payload, jobContext())).resolves.toEqual({ outcome: 'session-ended', state: 'interrupted' });
    expect(await u.catalog.sessionFile(sessionId, 'A.MP4')).toBeNull();
  });
});

describe('secure processor guards', () => {
  it('a file that vanished before it was read fails for good, naming what to do', async () => {
    const u = dockUnit();
    const { mountPath, jobs } = await dockedSession(u, 'SEC-1', { 'A.MP4': 'a' });
    unlinkSync(join(mountPath, 'A.MP4'));
    await expect(secureFileProcessor(u.deps)(jobs[0]!, jobContext())).rejects.toMatchObject({ name: 'PermanentError', code: 'file-vanished' });
  });

  it('a job for a file the session does not have fails for good', async () => {
    const u = dockUnit();
    const { jobs } = await dockedSession(u, 'SEC-2', { 'A.MP4': 'a' });
    await expect(secureFileProcessor(u.deps)({ ...jobs[0]!, relPath: 'B.MP4' }, jobContext())).rejects.toMatchObject({ code: 'unknown-session-file' });
  });

  it('a device pulled mid-job interrupts the session; the file stays pending and nothing is stored', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, jobs } = await dockedSession(u, 'SEC-3', { 'A.MP4': 'a' });
    rmSync(mountPath, { recursive: true });
    await expect(secureFileProcessor(u.deps)(jobs[0]!, jobContext())).resolves.toMatchObject({ outcome: 'device-gone' });
    expect(await stateOf(u, sessionId)).toBe('interrupted');
    expect(await u.catalog.sessionFile(sessionId, 'A.MP4')).toMatchObject({ state: 'pending' });
    expect(await u.store.stat(itemKeys(jobs[0]!.itemId, 'A.MP4').original)).toBeNull();
  });
});

describe('wipe processor', () => {
  it('deletes each secured and locked file with one custody event, then ends the session safe to undock', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, wipe } = await wiping(u, 'WIPE-1', { 'A.MP4': 'a', 'B.MP4': 'b' });
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext())).resolves.toMatchObject({ outcome: 'done', deleted: 2 });
    expect(existsSync(join(mountPath, 'A.MP4')) || existsSync(join(mountPath, 'B.MP4'))).toBe(false);
    expect((await u.catalog.custodyEvents({ sessionId })).filter((e) => e.type === 'file-wiped')).toHaveLength(2);
    expect(await stateOf(u, sessionId)).toBe('secured');
    expect((await u.docks.bays([sessionId])).get(sessionId)).toMatchObject({ wipeState: 'done', filesWiped: 2 });
  });

  it('a file changed since it was read is not ours to delete', async () => {
    const u = dockUnit();
    const { mountPath, wipe } = await wiping(u, 'WIPE-2', { 'A.MP4': 'a' });
    writeFileSync(join(mountPath, 'A.MP4'), 'recorded over');
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext())).resolves.toMatchObject({ outcome: 'done', deleted: 0 });
    expect(existsSync(join(mountPath, 'A.MP4'))).toBe(true);
  });

  it('a retry finds a file an earlier attempt deleted before its event, and writes the event now', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, wipe } = await wiping(u, 'WIPE-3', { 'A.MP4': 'a' });
    unlinkSync(join(mountPath, 'A.MP4'));
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext(2))).resolves.toMatchObject({ outcome: 'done', deleted: 1 });
    expect((await u.catalog.custodyEvents({ sessionId })).find((e) => e.type === 'file-wiped')?.details).toMatchObject({ deletedByEarlierAttempt: true });
  });

  it('a device mounted read-only is not wiped: the refusal is recorded and the session is safe all the same', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, wipe } = await wiping(u, 'WIPE-4', { 'A.MP4': 'a' });
    const dock = (await u.docks.dockDetails(sessionId))!;
    await u.docks.describeSession(sessionId, { ...dock, readOnly: true });
    await u.docks.setWipe(sessionId, 'pending', null);
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext())).resolves.toMatchObject({ outcome: 'refused', deleted: 0, reason: expect.stringMatching(/mounted read-only/) });
    expect(existsSync(join(mountPath, 'A.MP4'))).toBe(true);
    expect((await u.catalog.custodyEvents({ sessionId })).map((e) => e.type)).toContain('wipe-refused');
    expect(await stateOf(u, sessionId)).toBe('secured');
  });

  it('a device gone before the wipe: nothing deleted, the wipe failed with the reason, the session ends as its files say', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, wipe } = await wiping(u, 'WIPE-5', { 'A.MP4': 'a' });
    rmSync(mountPath, { recursive: true });
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext())).resolves.toMatchObject({ outcome: 'failed', deleted: 0, reason: expect.stringMatching(/removed before/) });
    expect(await stateOf(u, sessionId)).toBe('secured');
  });

  it('a job for a session that is not wiping does nothing', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, wipe } = await wiping(u, 'WIPE-6', { 'A.MP4': 'a' });
    await u.docks.moveSession(sessionId, sessionTransition('wiping', 'interrupted', { reason: 'gone', at: u.clock.now(), event: 'device-undocked' }), []);
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext())).resolves.toEqual({ outcome: 'not-wiping', state: 'interrupted' });
    expect(existsSync(join(mountPath, 'A.MP4'))).toBe(true);
  });
});
