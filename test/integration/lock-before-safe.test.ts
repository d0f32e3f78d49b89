import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustodyEvent } from '../../src/domain/custody.ts';
import type { EvidenceLocks } from '../../src/ports/evidence-locks.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

const WIPER = { 'devices.models': [{ name: 'Acme Wiper', type: 'body-camera', labelPattern: '^WIPE', wipe: 'after-verified' }] };

/** The harness's locks, with the calls to protectItem that `fails` picks (1 = the first) failing as a kill between record and lock would. */
function faultyLocks(h: Harness, fails: (call: number) => boolean): { calls: () => number; failed: () => number } {
  const real = h.deps.locks;
  let calls = 0;
  let failed = 0;
  const faulty: EvidenceLocks = Object.create(real);
  faulty.protectItem = async (itemId, actor, classes) => {
    calls += 1;
    if (fails(calls)) {
      failed += 1;
      throw new Error('killed between recording the item and locking it');
    }
    return real.protectItem(itemId, actor, classes);
  };
  h.deps.locks = faulty;
  return { calls: () => calls, failed: () => failed };
}

/** Every wiped file's item was locked (retention-set) earlier in the custody log, and the store shows it locked now. */
async function expectLockedBeforeWiped(h: Harness, events: CustodyEvent[]) {
  const all = await h.deps.catalog.custodyEvents({});
  const wiped = events.filter((e) => e.type === 'file-wiped');
  expect(wiped.length).toBeGreaterThan(0);
  for (const w of wiped) {
    const lockedAt = all.findIndex((e) => e.type === 'retention-set' && e.itemId === w.itemId);
    const wipedAt = all.findIndex((e) => e.type === 'file-wiped' && e.itemId === w.itemId && e.sessionId === w.sessionId);
    expect(lockedAt, `${w.filePath} locked before it was wiped`).toBeGreaterThanOrEqual(0);
    expect(lockedAt).toBeLessThan(wipedAt);
    expect(await h.deps.locks.isProtected(w.itemId!)).toBe(true);
  }
}

describe('nothing is safe to undock or wiped before its lock is read back from the store (issue 18.1, real services)', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('a secure job killed between record and lock: its retry locks the file, then settles and wipes the device', async () => {
    h = await createHarness({ ...WIPER, 'secure.concurrency': 1 });
    const mountPath = makeDevice(join(h.dockDir, 'WIPE-1'), { 'DCIM/A.MP4': 20_000, 'DCIM/B.MP4': 20_000 });
    // The second file's first attempt dies after it was recorded: the last file of the session.
    const fault = faultyLocks(h, (call) => call === 2);
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: 'WIPE-1' });
    const session = await h.waitForSession('WIPE-1');
    expect(fault.failed()).toBe(1);
    expect(fault.calls()).toBe(3);
    expect(session).toMatchObject({ state: 'secured', filesSecured: 2, filesFailed: 0 });
    expect((await h.deps.docks.bays([session.id])).get(session.id)).toMatchObject({ wipeState: 'done', filesWiped: 2 });
    expect(existsSync(join(mountPath, 'DCIM/B.MP4'))).toBe(false);
    await expectLockedBeforeWiped(h, await h.deps.catalog.custodyEvents({ sessionId: session.id }));
  });

  it('a job lost for good after recording its file: the next dock locks the item before it is safe and wiped', async () => {
    h = await createHarness({ ...WIPER, 'secure.attempts': 1 });
    const mountPath = makeDevice(join(h.dockDir, 'WIPE-2'), { 'DCIM/C.MP4': 30_000 });
    const fault = faultyLocks(h, (call) => call === 1);
    h.startWorkers();
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: 'WIPE-2' });
    const first = await h.waitForSession('WIPE-2');
    expect(fault.failed()).toBe(1);
    // Recorded, never locked: the device is not safe, and nothing was wiped.
    expect(first).toMatchObject({ state: 'attention', filesFailed: 1 });
    expect(existsSync(join(mountPath, 'DCIM/C.MP4'))).toBe(true);
    const [item] = await h.deps.catalog.queryItems({ device: 'WIPE-2' });
    expect(await h.deps.locks.isProtected(item!.id)).toBe(false);

    await h.dock.handle({ type: 'undocked', mountPath });
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: 'WIPE-2' });
    const second = await h.waitForSession('WIPE-2', (s) => s.id !== first.id && s.state === 'secured');
    expect(second).toMatchObject({ filesSecured: 1, filesFailed: 0 });
    const events = await h.deps.catalog.custodyEvents({ sessionId: second.id });
    expect(events.map((e) => e.type)).toContain('redocked');
    expect(existsSync(join(mountPath, 'DCIM/C.MP4'))).toBe(false);
    await expectLockedBeforeWiped(h, events);
  });
});
