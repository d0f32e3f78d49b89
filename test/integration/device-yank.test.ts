import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocking } from '../../src/app/dock/docking.ts';
import { deviceAdapters } from '../../src/main/roles/dock.ts';
import { buildProcessors } from '../../src/app/processors.ts';
import type { ObjectStore } from '../../src/ports/object-store.ts';
import { createHarness, type Harness, waitFor } from '../support/harness.ts';
import { LoopRig, type Storage } from '../support/loop-devices.ts';

const MiB = 1 << 20;

/**
 * A recorder pulled out of its bay while a file larger than one upload part is being read: real exFAT
 * on a loop device (its FUSE daemon killed, so reads fail as on a pulled USB device), real MinIO.
 */
describe('a device yanked mid-file', () => {
  const rig = new LoopRig();
  const root = mkdtempSync(join(tmpdir(), 'evidock-yank-root-'));
  let h: Harness;
  let docking: { stop(): Promise<void> };
  let storage: Storage;
  let yankAfterBytes = Number.POSITIVE_INFINITY;

  /** The real store, except that an upload pulls the device once this many bytes of one file went through. */
  const yanking = (store: ObjectStore): ObjectStore => Object.assign(Object.create(store) as ObjectStore, {
    put: (key: string, body: Readable | Buffer, options?: Parameters<ObjectStore['put']>[2]) => {
      if (!(body instanceof Readable)) return store.put(key, body, options);
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > yankAfterBytes) {
            yankAfterBytes = Number.POSITIVE_INFINITY;
            rig.yank(storage);
          }
          done(null, chunk);
        },
      });
      // pipeline, not pipe: a read error on the device must reach the upload.
      pipeline(body, counter, () => undefined);
      return store.put(key, counter, options);
    },
  });

  const minio = () => h.deps.store;
  async function incompleteUploads(): Promise<string[]> {
    const keys: string[] = [];
    for await (const upload of minio().client.listIncompleteUploads(minio().bucket, '', true)) keys.push((upload as { key: string }).key);
    return keys;
  }
  async function storedVersions(): Promise<string[]> {
    const keys: string[] = [];
    for await (const o of minio().client.listObjects(minio().bucket, 'items/', true, { IncludeVersion: true })) keys.push((o as { name: string }).name);
    return keys;
  }

  beforeAll(async () => {
    h = await createHarness({
      'devices.mountRoots': [root], 'devices.usb': false, 'devices.pollMs': 300, 'secure.concurrency': 1,
      'devices.models': [{ name: 'Acme BWC-7', type: 'body-camera', labelPattern: '^BWC' }],
    });
    h.startWorkers(() => buildProcessors({ ...h.deps, store: yanking(h.deps.store) }));
    docking = await startDocking(h.deps, deviceAdapters(h.deps));
  });

  afterAll(async () => {
    await docking?.stop();
    await h?.close();
    await rig.cleanup();
  });

  it('interrupts the session, aborts the partial upload, records nothing partial; the next dock secures only what is missing', async () => {
    const image = await rig.image('exfat', 'BWC0099', { 'DEVICE_ID.txt': 'YANK-1', 'DCIM/1.MP4': 40_000, 'DCIM/2.MP4': 48 * MiB, 'DCIM/3.MP4': 50_000 }, { sizeMb: 128 });
    yankAfterBytes = 20 * MiB; // past the first 16 MiB part: a multipart upload is under way
    storage = await rig.mount(image, 'exfat', join(root, 'BWC0099'));

    const interrupted = await waitFor('the session interrupted', async () => {
      const s = (await h.deps.catalog.recentSessions(3600_000, new Date())).find((x) => x.deviceSerial === 'YANK-1');
      return s?.state === 'interrupted' ? s : null;
    }, 60_000);
    expect(interrupted.reason).toMatch(/device removed/);
    expect(await h.deps.catalog.sessionFile(interrupted.id, 'DCIM/2.MP4')).toMatchObject({ state: 'pending', itemId: null });
    const before = await h.deps.catalog.queryItems({ device: 'YANK-1' });
    expect(before.map((i) => i.originalPath)).not.toContain('DCIM/2.MP4');
    const events = await h.deps.catalog.custodyEvents({ sessionId: interrupted.id });
    expect(events.map((e) => e.type)).not.toContain('secure-failed');

    // No part of the yanked upload is left in MinIO, and every stored version belongs to a recorded item.
    await waitFor('no incomplete upload', async () => (await incompleteUploads()).length === 0, 10_000);
    const recorded = new Set(before.map((i) => i.id));
    for (const key of await storedVersions()) expect(recorded.has(key.split('/')[1]!), key).toBe(true);

    // Docked again (a new loop device, the same bytes): the rest is secured, nothing is stored twice.
    await rig.unmount(storage, { lazy: true });
    storage = await rig.mount(image, 'exfat', join(root, 'BWC0099'));
    const resumed = await waitFor('the second session secured', async () => {
      const s = (await h.deps.catalog.recentSessions(3600_000, new Date())).filter((x) => x.deviceSerial === 'YANK-1').at(-1);
      return s && s.id !== interrupted.id && s.state === 'secured' ? s : null;
    }, 60_000);
    expect(resumed).toMatchObject({ filesSecured: 3, filesTotal: 3 });
    const after = await h.deps.catalog.queryItems({ device: 'YANK-1' });
    expect(after.map((i) => i.originalPath).sort()).toEqual(['DCIM/1.MP4', 'DCIM/2.MP4', 'DCIM/3.MP4']);
    const again = (await h.deps.catalog.custodyEvents({ sessionId: resumed.id })).filter((e) => e.type === 'redocked').map((e) => e.filePath);
    expect(again.sort()).toEqual(before.map((i) => i.originalPath).sort());
    expect(await incompleteUploads()).toEqual([]);
  });
});
