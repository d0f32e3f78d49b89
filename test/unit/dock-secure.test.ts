import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptSession } from '../../src/app/dock/bays.ts';
import { secureFileProcessor } from '../../src/app/dock/secure.ts';
import { settleSession } from '../../src/app/dock/session.ts';
import { wipeDeviceProcessor } from '../../src/app/dock/wipe.ts';
import { dockedSession, dockUnit, type DockUnit, jobContext } from '../support/dock-unit.ts';

const stateOf = async (u: DockUnit, sessionId: string) => (await u.catalog.sessionProgress(sessionId))?.state;

describe('nothing is safe to undock or wiped before its lock is read back (issue 18.1)', () => {
  it('a retry that finds its file recorded but not locked locks it, then settles the session and queues the wipe', async () => {
    const u = dockUnit();
    const { sessionId, jobs } = await dockedSession(u, 'BWC-1', { 'DCIM/F0001.MP4': 'video one' }, 'after-verified');
    const secure = secureFileProcessor(u.deps);

    // First attempt: recorded, then the power goes before the lock.
    u.locks.failNextProtect = 1;
    await expect(secure(jobs[0]!, jobContext(1))).rejects.toThrow(/power lost/);
    const file = await u.catalog.sessionFile(sessionId, 'DCIM/F0001.MP4');
    expect(file).toMatchObject({ state: 'secured', itemId: jobs[0]!.itemId });
    expect(await stateOf(u, sessionId)).toBe('securing');
    expect(u.queues.named('wipe-device')).toEqual([]);
    expect(await u.docks.wipeCandidates(sessionId)).toEqual([]);

    // The retry does not trust the first attempt: it locks, reads the lock back, and settles.
    await expect(secure(jobs[0]!, jobContext(2))).resolves.toMatchObject({ outcome: 'already-recorded', itemId: jobs[0]!.itemId });
    expect(u.locks.locked).toEqual(new Set([jobs[0]!.itemId]));
    expect(await stateOf(u, sessionId)).toBe('wiping');
    expect(u.queues.named('wipe-device')).toEqual([expect.objectContaining({ sessionId })]);
    expect(u.tagged).toEqual([jobs[0]!.itemId]);
  });

  it('the next dock of a file whose item was never locked locks it before the device is safe to undock', async () => {
    const u = dockUnit();
    const first = await dockedSession(u, 'BWC-2', { 'DCIM/F0003.MP4': 'video three' });
    u.locks.failNextProtect = 1;
    await expect(secureFileProcessor(u.deps)(first.jobs[0]!, jobContext(1))).rejects.toThrow(/power lost/);
    await interruptSession(u.deps, { sessionId: first.sessionId, deviceSerial: 'BWC-2', mountPath: first.mountPath }, 'device removed');

    const again = await dockedSession(u, 'BWC-2', { 'DCIM/F0003.MP4': 'video three' });
    // Same path, size and mtime: the file is re-hashed and found to be the item already stored.
    const done = await secureFileProcessor(u.deps)(again.jobs[0]!, jobContext(1));
    expect(done).toMatchObject({ outcome: 'redocked', itemId: first.jobs[0]!.itemId });
    expect(u.locks.locked.has(first.jobs[0]!.itemId)).toBe(true);
    expect(await stateOf(u, again.sessionId)).toBe('secured');
  });

  it('the same bytes on another device: the existing item, never locked, is locked before that device is safe', async () => {
    const u = dockUnit();
    const first = await dockedSession(u, 'BWC-3', { 'A.MP4': 'same bytes' });
    u.locks.failNextProtect = 1;
    await expect(secureFileProcessor(u.deps)(first.jobs[0]!, jobContext(1))).rejects.toThrow(/power lost/);
    const other = await dockedSession(u, 'BWC-4', { 'B.MP4': 'same bytes' });
    await expect(secureFileProcessor(u.deps)(other.jobs[0]!, jobContext(1))).resolves.toMatchObject({ outcome: 'duplicate', itemId: first.jobs[0]!.itemId });
    expect(u.locks.locked.has(first.jobs[0]!.itemId)).toBe(true);
    expect(await stateOf(u, other.sessionId)).toBe('secured');
    // The first device's file is still unprotected: its session is not safe.
    expect(await stateOf(u, first.sessionId)).toBe('securing');
  });

  it('a lock the store does not show fails the job; the session stays securing and the file is not wiped', async () => {
    const u = dockUnit();
    const { sessionId, jobs } = await dockedSession(u, 'BWC-5', { 'F1.MP4': 'one', 'F2.MP4': 'two' }, 'after-verified');
    const secure = secureFileProcessor(u.deps);
    await secure(jobs[0]!, jobContext(1));
    u.locks.storeIgnoresLocks = true;
    await expect(secure(jobs[1]!, jobContext(1))).rejects.toThrow(/not shown locked by the store/);
    expect(await stateOf(u, sessionId)).toBe('securing');
    expect((await u.docks.wipeCandidates(sessionId)).map((f) => f.relPath)).toEqual(['F1.MP4']);
    u.locks.storeIgnoresLocks = false;
    await secure(jobs[1]!, jobContext(2));
    expect(await stateOf(u, sessionId)).toBe('wiping');
    expect((await u.docks.wipeCandidates(sessionId)).map((f) => f.relPath)).toEqual(['F1.MP4', 'F2.MP4']);
  });

  it('a session found wiping without its wipe job gets it queued again, and only once', async () => {
    const u = dockUnit();
    const { sessionId, jobs } = await dockedSession(u, 'BWC-6', { 'F1.MP4': 'one' }, 'after-verified');
    await secureFileProcessor(u.deps)(jobs[0]!, jobContext(1));
    expect(await stateOf(u, sessionId)).toBe('wiping');
    u.queues.jobs.clear(); // queueing failed: the session is wiping with no job
    await settleSession(u.deps, sessionId);
    await settleSession(u.deps, sessionId);
    expect(u.queues.named('wipe-device')).toEqual([expect.objectContaining({ sessionId })]);
  });

  it('the wipe reads each lock back before deleting: a file whose item the store no longer shows locked stays', async () => {
    const u = dockUnit();
    const { sessionId, mountPath, jobs } = await dockedSession(u, 'BWC-7', { 'F1.MP4': 'one', 'F2.MP4': 'two' }, 'after-verified');
    for (const job of jobs) await secureFileProcessor(u.deps)(job, jobContext(1));
    u.locks.locked.delete(jobs[1]!.itemId);
    const wipe = u.queues.named('wipe-device')[0]!;
    await expect(wipeDeviceProcessor(u.deps)(wipe, jobContext(1))).resolves.toMatchObject({ outcome: 'done', deleted: 1 });
    expect(existsSync(join(mountPath, 'F1.MP4'))).toBe(false);
    expect(existsSync(join(mountPath, 'F2.MP4'))).toBe(true);
    expect(await stateOf(u, sessionId)).toBe('secured');
  });
});
