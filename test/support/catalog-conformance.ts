import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { custodyEvent } from '../../src/domain/custody.ts';
import { sessionTransition } from '../../src/domain/dock-session.ts';
import type { EvidenceItem } from '../../src/domain/evidence.ts';
import type { Catalog } from '../../src/ports/catalog.ts';
import type { Docks } from '../../src/ports/docks.ts';

export interface CatalogUnderTest {
  catalog: Catalog;
  docks: Docks;
}

const at = new Date('2026-12-03T10:00:00.000Z');
const host = 'dock-conformance';

function item(sessionId: string, serial: string, relPath: string, sha256: string): EvidenceItem {
  const id = ulid();
  return {
    id, sha256, size: 10, kind: 'video', deviceSerial: serial, originalPath: relPath, officerId: null, caseId: null, category: null, phase: null,
    capturedAt: at, capturedAtSource: 'mtime', securedAt: at, status: 'secured', sessionId,
    objects: { original: `originals/${id}`, originalVersion: 'v1', manifest: `manifests/${id}.json` },
  };
}

/** A session of a fresh serial, scanned with `files` (10 bytes each), in `securing`. */
async function securingSession(t: CatalogUnderTest, files: string[]) {
  const serial = `S-${ulid()}`;
  const id = ulid();
  await t.docks.upsertDevice({ serial, serialSource: 'folder-name', label: null, seenAt: at });
  await t.docks.openSession({ id, deviceSerial: serial, dockHost: host, mountPath: `/media/${serial}`, startedAt: at });
  await t.catalog.addSessionFiles(id, files.map((relPath) => ({ relPath, size: 10, mtimeMs: 1000, kind: 'video' as const, state: 'pending' as const, reason: null })));
  expect(await t.docks.moveSession(id, sessionTransition('scanning', 'securing', { reason: null, at }), [])).toBe(true);
  return { id, serial };
}

/**
 * What the dock pipeline relies on from Catalog and Docks, run against every implementation (memory in the
 * unit project, PostgreSQL in the integration project) so the memory adapters the processors' unit tests
 * use behave as the real ones do.
 */
export function catalogConformance(name: string, open: () => Promise<CatalogUnderTest>) {
  describe(`Catalog and Docks conformance: ${name}`, () => {
    it('moves a session only from the state it is in (compare-and-set), with its events, and ends it with the time', async () => {
      const t = await open();
      const { id, serial } = await securingSession(t, ['A.MP4']);
      expect(await t.docks.moveSession(id, sessionTransition('scanning', 'securing', { reason: null, at }), [])).toBe(false);
      const ended = sessionTransition('securing', 'interrupted', { reason: 'gone', at, event: 'device-undocked' });
      const event = custodyEvent('device-undocked', at, host, { sessionId: id, deviceSerial: serial }, { reason: 'gone' });
      expect(await t.docks.moveSession(id, ended, [event])).toBe(true);
      expect(await t.catalog.sessionProgress(id)).toMatchObject({ state: 'interrupted', reason: 'gone', endedAt: at });
      expect(await t.catalog.custodyEvents({ sessionId: id })).toMatchObject([{ type: 'device-undocked', details: { reason: 'gone' } }]);
      expect(await t.catalog.openSessionsAt(host, `/media/${serial}`)).toEqual([]);
      expect((await t.docks.dockDetails(id))?.state).toBe('interrupted');
    });

    it('opens a session of a known device only: one rebuilt by reindex already ended, a detected one open', async () => {
      const t = await open();
      const rebuilt = ulid();
      const docked = ulid();
      await expect(t.docks.openSession({ id: rebuilt, deviceSerial: 'R-1', dockHost: host, mountPath: '/rebuilt', startedAt: at })).rejects.toThrow();
      await t.docks.upsertDevice({ serial: 'R-1', serialSource: 'folder-name', label: null, seenAt: at });
      await t.docks.openSession({ id: rebuilt, deviceSerial: 'R-1', dockHost: host, mountPath: '/rebuilt', startedAt: at, state: 'secured', reason: 'rebuilt' });
      await t.docks.openSession({ id: docked, deviceSerial: 'R-1', dockHost: host, mountPath: '/rebuilt', startedAt: at, state: 'detected' });
      expect(await t.catalog.sessionProgress(rebuilt)).toMatchObject({ state: 'secured', reason: 'rebuilt', endedAt: at });
      expect(await t.catalog.openSessionsAt(host, '/rebuilt')).toEqual([docked]);
    });

    it('counts files, and a file with an item is neither settled-safe nor wiped until it is recorded protected', async () => {
      const t = await open();
      const { id, serial } = await securingSession(t, ['A.MP4', 'B.MP4']);
      await t.catalog.addSessionFiles(id, [{ relPath: 'A.MP4', size: 99, mtimeMs: 5, kind: 'video', state: 'refused', reason: 'again' }]);
      expect(await t.catalog.hasPendingFiles(id)).toBe(true);
      const a = item(id, serial, 'A.MP4', 'a'.repeat(64));
      expect(await t.catalog.recordSecured({ item: a, mtimeMs: 1000, events: [] })).toBe('inserted');
      expect(await t.catalog.sessionFile(id, 'A.MP4')).toMatchObject({ state: 'secured', itemId: a.id, size: 10 });
      expect(await t.catalog.unprotectedFiles(id)).toBe(1);
      expect(await t.docks.wipeCandidates(id)).toEqual([]);
      await t.catalog.markFileProtected(id, 'A.MP4', at);
      expect(await t.catalog.unprotectedFiles(id)).toBe(0);
      expect(await t.docks.wipeCandidates(id)).toEqual([{ relPath: 'A.MP4', itemId: a.id, size: 10, mtimeMs: 1000 }]);
      await t.catalog.markSessionFile(id, 'B.MP4', 'failed', 'EIO');
      expect(await t.catalog.hasPendingFiles(id)).toBe(false);
      expect(await t.catalog.sessionProgress(id)).toMatchObject({ filesTotal: 2, filesDone: 2, filesSecured: 1, filesFailed: 1, bytesTotal: 20, bytesSecured: 10 });
      // Marked failed, a file loses its item and its protection.
      await t.catalog.markSessionFile(id, 'A.MP4', 'failed', 'lock lost');
      expect(await t.docks.wipeCandidates(id)).toEqual([]);
    });

    it('keeps one item per SHA-256, and finds a device file again by serial, path, size and mtime', async () => {
      const t = await open();
      const { id, serial } = await securingSession(t, ['A.MP4', 'B.MP4']);
      const sha = 'b'.repeat(64);
      const a = item(id, serial, 'A.MP4', sha);
      expect(await t.catalog.recordSecured({ item: a, mtimeMs: 1000.7, events: [] })).toBe('inserted');
      expect(await t.catalog.recordSecured({ item: item(id, serial, 'B.MP4', sha), mtimeMs: 1000, events: [] })).toBe('conflict');
      expect(await t.catalog.findItemBySha256(sha)).toMatchObject({ id: a.id });
      expect(await t.catalog.findDeviceFile(serial, 'A.MP4', 10, 1000.2)).toEqual({ itemId: a.id, sha256: sha });
      expect(await t.catalog.findDeviceFile(serial, 'A.MP4', 11, 1000)).toBeNull();
      await t.catalog.recordDuplicate({ itemId: a.id, sessionId: id, deviceSerial: serial, relPath: 'B.MP4', size: 10, mtimeMs: 1000, events: [] });
      expect(await t.catalog.sessionFile(id, 'B.MP4')).toMatchObject({ state: 'duplicate', itemId: a.id });
      expect(await t.catalog.findDeviceFile(serial, 'B.MP4', 10, 1000)).toEqual({ itemId: a.id, sha256: sha });
    });

    it('admits waiting sessions in docking order up to the limit of active ones; approval releases held ones', async () => {
      const t = await open();
      const dockHost = `admit-${ulid()}`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = ulid();
        ids.push(id);
        await t.docks.upsertDevice({ serial: `W-${id}`, serialSource: 'folder-name', label: null, seenAt: at });
        await t.docks.openSession({ id, deviceSerial: `W-${id}`, dockHost, mountPath: `/m/${i}`, startedAt: new Date(at.getTime() + i), state: 'detected' });
        expect(await t.docks.moveSession(id, sessionTransition('detected', 'waiting', { reason: null, at }), [])).toBe(true);
      }
      expect((await t.docks.admitWaiting(dockHost, 2)).map((s) => s.id)).toEqual(ids.slice(0, 2));
      expect(await t.docks.admitWaiting(dockHost, 2)).toEqual([]);
      expect((await t.docks.bays([ids[2]!])).get(ids[2]!)).toMatchObject({ queuePosition: 1 });

      const held = ulid();
      await t.docks.recordDetected({ serial: 'H-1', serialSource: 'usb-serial', label: null, seenAt: at, status: 'pending', model: null, deviceType: null });
      await t.docks.openSession({ id: held, deviceSerial: 'H-1', dockHost, mountPath: '/m/h', startedAt: at, state: 'detected' });
      await t.docks.moveSession(held, sessionTransition('detected', 'held', { reason: 'not approved', at, event: 'device-held' }), []);
      expect(await t.docks.approve('H-1', { actor: 'admin', at, reason: null })).toEqual({ outcome: 'approved', released: 1 });
      expect((await t.docks.dockDetails(held))?.state).toBe('waiting');
      expect(await t.docks.deviceStatus('H-1')).toBe('approved');
      expect(await t.docks.approve('NOBODY', { actor: 'admin', at, reason: null })).toEqual({ outcome: 'unknown', released: 0 });
    });

    it('reopens a failed file, and its session only out of attention', async () => {
      const t = await open();
      const one = await securingSession(t, ['A.MP4']);
      await t.catalog.markSessionFile(one.id, 'A.MP4', 'failed', 'EIO');
      await t.docks.moveSession(one.id, sessionTransition('securing', 'attention', { reason: '1 failed', at }), []);
      expect(await t.docks.reopenFailedFile(one.id, 'A.MP4')).toBe(true);
      expect(await t.catalog.sessionProgress(one.id)).toMatchObject({ state: 'securing', reason: null, endedAt: null });
      expect(await t.docks.reopenFailedFile(one.id, 'A.MP4')).toBe(false);

      const two = await securingSession(t, ['A.MP4']);
      await t.catalog.markSessionFile(two.id, 'A.MP4', 'failed', 'EIO');
      await t.docks.moveSession(two.id, sessionTransition('securing', 'interrupted', { reason: 'gone', at, event: 'session-interrupted' }), []);
      expect(await t.docks.reopenFailedFile(two.id, 'A.MP4')).toBe(true);
      expect((await t.docks.dockDetails(two.id))?.state).toBe('interrupted');
    });

    it('records a wiped file once: it leaves the candidates and counts on its bay', async () => {
      const t = await open();
      const { id, serial } = await securingSession(t, ['A.MP4']);
      await t.docks.describeSession(id, { via: 'folder', bay: 'bay-1', model: null, deviceType: null, usb: null, fsType: null, readOnly: false, deviceDev: 42, wipePolicy: 'after-verified' });
      const a = item(id, serial, 'A.MP4', 'c'.repeat(64));
      await t.catalog.recordSecured({ item: a, mtimeMs: 1000, events: [] });
      await t.catalog.markFileProtected(id, 'A.MP4', at);
      await t.docks.setWipe(id, 'running', null);
      await t.docks.recordWiped(id, 'A.MP4', custodyEvent('file-wiped', at, host, { itemId: a.id, sessionId: id, deviceSerial: serial, filePath: 'A.MP4' }, { size: 10 }));
      expect(await t.docks.wipeCandidates(id)).toEqual([]);
      expect((await t.docks.bays([id])).get(id)).toMatchObject({ bay: 'bay-1', deviceDev: 42, wipeState: 'running', filesWiped: 1, wipePolicy: 'after-verified' });
      expect((await t.catalog.custodyEvents({ itemId: a.id })).map((e) => e.type)).toEqual(['file-wiped']);
    });
  });
}
