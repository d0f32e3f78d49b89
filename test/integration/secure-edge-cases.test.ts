import { appendFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { DISCARDED_TAG } from '../../src/adapters/minio-object-store.ts';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { System } from '../../src/main/compose.ts';
import { scanDeviceProcessor } from '../../src/app/dock/scan.ts';
import { secureFileProcessor } from '../../src/app/dock/secure.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import type { SecureFilePayload } from '../../src/domain/jobs.ts';
import type { JobContext } from '../../src/ports/jobs.ts';
import type { ObjectStore } from '../../src/ports/object-store.ts';
import { createHarness, type Harness, makeDevice } from '../support/harness.ts';

const ctx = (progress: JobContext['progress'] = async () => undefined): JobContext => ({ signal: new AbortController().signal, attempt: 1, progress });

describe('securing: bad input has a defined outcome (real services)', () => {
  let h: Harness;
  let serialNo = 0;

  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  /** Docks a fresh device (no workers running) and scans it by hand, returning the secure payloads. */
  async function dockAndScan(files: Record<string, string | number>): Promise<{ sessionId: string; mountPath: string; payload: (rel: string) => SecureFilePayload }> {
    const serial = `EDGE-${++serialNo}`;
    const mountPath = makeDevice(join(h.dockDir, serial), files);
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: null });
    const [sessionId] = await h.deps.catalog.openSessionsAt(h.config.dockHost, mountPath);
    await scanDeviceProcessor(h.deps)({ sessionId: sessionId!, deviceSerial: serial, mountPath }, ctx());
    return {
      sessionId: sessionId!,
      mountPath,
      payload: (rel) => {
        const st = statSync(join(mountPath, rel));
        return { sessionId: sessionId!, deviceSerial: serial, mountPath, relPath: rel, size: st.size, mtimeMs: st.mtimeMs, kind: 'video', itemId: ulid() };
      },
    };
  }

  /**
   * An upload that is not evidence is gone, or (the daemon's own MinIO user may delete no version) left marked
   * discarded for an administrator: either way nothing refers to it.
   */
  const expectDiscarded = async (key: string) => {
    const left = await h.deps.store.stat(key);
    if (left) expect(await h.deps.store.getTags(key, left.versionId)).toMatchObject({ [DISCARDED_TAG]: 'unreferenced' });
  };

  const withStore = (store: Partial<ObjectStore>): System => ({ ...h.deps, store: Object.assign(Object.create(h.deps.store), store) });

  it('a file that changes while it is read is retried, and its partial upload is not kept', async () => {
    const { sessionId, mountPath, payload } = await dockAndScan({ 'growing.mp4': 100_000 });
    const p = payload('growing.mp4');
    const changing = withStore({
      put: async (key, body, options) => {
        appendFileSync(join(mountPath, 'growing.mp4'), 'more frames');
        return h.deps.store.put(key, body, options);
      },
    });
    const error = await secureFileProcessor(changing)(p, ctx()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/changed while it was read/);
    expect(await h.deps.catalog.sessionFile(sessionId, 'growing.mp4')).toMatchObject({ state: 'pending', itemId: null });
    await expectDiscarded(`items/${p.itemId}/original.mp4`);

    // The retry reads the settled file and secures it.
    const result = await secureFileProcessor(h.deps)(p, ctx());
    expect(result).toMatchObject({ outcome: 'secured', size: 100_000 + 'more frames'.length });
  });

  it('a stored copy that does not hash to the device file is never recorded as secured', async () => {
    const { sessionId, payload } = await dockAndScan({ 'clip.mp4': 50_000 });
    const p = payload('clip.mp4');
    const corrupting = withStore({ read: async () => Readable.from([Buffer.from('bit rot')]) });
    await expect(secureFileProcessor(corrupting)(p, ctx())).rejects.toThrow(/does not match the device/);
    expect(await h.deps.catalog.sessionFile(sessionId, 'clip.mp4')).toMatchObject({ state: 'pending' });
    expect(await h.deps.catalog.queryItems({ device: p.deviceSerial })).toEqual([]);
    await expectDiscarded(`items/${p.itemId}/original.mp4`);
  });

  it('a file gone from the device fails permanently with a reason', async () => {
    const { mountPath, payload } = await dockAndScan({ 'gone.mp4': 1000 });
    const p = payload('gone.mp4');
    rmSync(join(mountPath, 'gone.mp4'));
    const error = await secureFileProcessor(h.deps)(p, ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'file-vanished', message: expect.stringMatching(/dock the device again/) });
  });

  it('a zero-byte file is secured as what it is', async () => {
    const { payload } = await dockAndScan({ 'empty.mp4': '' });
    await expect(secureFileProcessor(h.deps)(payload('empty.mp4'), ctx())).resolves.toMatchObject({
      outcome: 'secured', size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('a device folder that disappears mid-scan interrupts the session with the reason', async () => {
    const serial = 'EDGE-VANISH';
    const files: Record<string, number> = {};
    for (let i = 0; i < 1200; i++) files[`DCIM/${String(i).padStart(4, '0')}.jpg`] = 10;
    const mountPath = makeDevice(join(h.dockDir, serial), files);
    mkdirSync(join(mountPath, 'MORE'));
    for (let i = 0; i < 50; i++) writeFileSync(join(mountPath, 'MORE', `${i}.jpg`), 'x');
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: null });
    const [sessionId] = await h.deps.catalog.openSessionsAt(h.config.dockHost, mountPath);
    const pulled = ctx(async () => rmSync(mountPath, { recursive: true, force: true }));
    const result = await scanDeviceProcessor(h.deps)({ sessionId: sessionId!, deviceSerial: serial, mountPath }, pulled);
    expect(result).toMatchObject({ outcome: 'interrupted' });
    expect(await h.deps.catalog.sessionProgress(sessionId!)).toMatchObject({ state: 'interrupted', reason: expect.stringMatching(/removed during the scan/) });
    const events = await h.deps.catalog.custodyEvents({ sessionId: sessionId! });
    expect(events.at(-1)).toMatchObject({ type: 'session-interrupted' });
  });
});
