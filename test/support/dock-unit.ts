import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ulid } from 'ulid';
import { MemoryCatalog } from '../../src/adapters/memory/catalog.ts';
import { CatalogTables } from '../../src/adapters/memory/catalog-tables.ts';
import { MemoryDocks } from '../../src/adapters/memory/docks.ts';
import { ManualClock } from '../../src/adapters/memory/manual-clock.ts';
import { MemoryObjectStore } from '../../src/adapters/memory/memory-object-store.ts';
import type { SecureDeps } from '../../src/app/dock/secure/after.ts';
import { configSchema } from '../../src/config/schema.ts';
import { sessionTransition } from '../../src/domain/dock-session.ts';
import { type JobName, type JobPayloads, jobId, type SecureFilePayload } from '../../src/domain/jobs.ts';
import { mediaKindOf } from '../../src/domain/media.ts';
import type { EvidenceLocks } from '../../src/ports/evidence-locks.ts';
import type { JobContext, JobQueues } from '../../src/ports/jobs.ts';
import { createLogger } from '../../src/log.ts';

/** Jobs by id, as BullMQ keeps them: adding a job whose id is there already adds nothing. */
export class RecordingQueues implements JobQueues {
  readonly jobs = new Map<string, { name: JobName; payload: unknown }>();
  async add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const id = jobId(name, payload);
    if (!this.jobs.has(id)) this.jobs.set(id, { name, payload });
  }
  async addMany<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void> {
    for (const p of payloads) await this.add(name, p);
  }
  async every(): Promise<void> {}
  async counts() {
    return {};
  }
  async close(): Promise<void> {}
  named<N extends JobName>(name: N): Array<JobPayloads[N]> {
    return [...this.jobs.values()].filter((j) => j.name === name).map((j) => j.payload as JobPayloads[N]);
  }
}

/**
 * Locks as the store shows them: `protectItem` locks both objects of an item, `isProtected` reads that
 * back. `failNextProtect` makes the next calls fail (a crash between recording and locking), and
 * `storeIgnoresLocks` makes the store accept the call without locking anything.
 */
export class StoreLocks implements EvidenceLocks {
  readonly locked = new Set<string>();
  failNextProtect = 0;
  storeIgnoresLocks = false;
  async protectItem(itemId: string) {
    if (this.failNextProtect > 0) {
      this.failNextProtect -= 1;
      throw new Error('power lost between recording the item and locking it');
    }
    if (!this.storeIgnoresLocks) this.locked.add(itemId);
    return { retentionClass: 'standard' as const, until: new Date('2033-01-01T00:00:00Z') };
  }
  async isProtected(itemId: string) {
    return this.locked.has(itemId);
  }
  async fileInCaseFile(): Promise<void> {}
  async lockObject(): Promise<void> {}
  async placeCaseHold(): Promise<void> {}
  async liftCaseHold() {
    return { released: [], stillHeld: [] };
  }
}

export const jobContext = (attempt = 1): JobContext => ({ signal: new AbortController().signal, attempt, progress: async () => undefined });

/** The secure/wipe/scan processors' ports on memory adapters, a manual clock and a silent log. */
export function dockUnit() {
  const tables = new CatalogTables();
  const catalog = new MemoryCatalog(tables);
  const docks = new MemoryDocks(tables);
  const queues = new RecordingQueues();
  const locks = new StoreLocks();
  const tagged: string[] = [];
  const clock = new ManualClock('2026-12-03T10:00:00Z');
  const store = new MemoryObjectStore(clock);
  const config = configSchema.parse({ dockHost: 'dock-test' });
  const deps: SecureDeps = {
    catalog, docks, store, queues, locks, clock, config,
    log: createLogger('silent'),
    probe: { captureTime: async () => null },
    tagging: {
      itemSecured: async (itemId: string) => {
        tagged.push(itemId);
        return { itemId, changed: false } as never;
      },
    },
    media: { flows: { probe: async () => undefined } },
  };
  const device = mkdtempSync(join(tmpdir(), 'evidock-dock-unit-'));
  return { tables, catalog, docks, store, queues, locks, tagged, clock, config, deps, device };
}

export type DockUnit = ReturnType<typeof dockUnit>;

/** A device folder with `files` (path → content); a file there already is kept as it is (same mtime: docked again). */
export function writeDevice(mountPath: string, files: Record<string, string>): string {
  for (const [relPath, content] of Object.entries(files)) {
    if (existsSync(join(mountPath, relPath))) continue;
    mkdirSync(dirname(join(mountPath, relPath)), { recursive: true });
    writeFileSync(join(mountPath, relPath), content);
  }
  mkdirSync(mountPath, { recursive: true });
  return mountPath;
}

/**
 * A device docked with `files` (path → content; a device docked again keeps those it has), scanned: its session is `securing` with each file
 * pending, as the scan leaves it; returns one secure job per file.
 */
export async function dockedSession(u: DockUnit, serial: string, files: Record<string, string>, wipe: 'never' | 'after-verified' = 'never') {
  const mountPath = writeDevice(join(u.device, serial), files);
  const sessionId = ulid();
  await u.docks.upsertDevice({ serial, serialSource: 'folder-name', label: null, seenAt: u.clock.now() });
  await u.docks.openSession({ id: sessionId, deviceSerial: serial, dockHost: u.config.dockHost, mountPath, startedAt: u.clock.now() });
  await u.docks.describeSession(sessionId, { via: 'folder', bay: mountPath, model: null, deviceType: null, usb: null, fsType: null, readOnly: false, deviceDev: null, wipePolicy: wipe });
  const rows = Object.keys(files).map((relPath) => {
    const st = statSync(join(mountPath, relPath));
    return { relPath, size: st.size, mtimeMs: st.mtimeMs, kind: mediaKindOf(relPath, u.config.dock.media), state: 'pending' as const, reason: null };
  });
  await u.catalog.addSessionFiles(sessionId, rows);
  await u.docks.moveSession(sessionId, sessionTransition('scanning', 'securing', { reason: null, at: u.clock.now() }), []);
  const jobs: SecureFilePayload[] = rows.map((f) => ({
    sessionId, deviceSerial: serial, mountPath, deviceDev: null, relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs, kind: f.kind!, itemId: ulid(), important: false,
  }));
  return { sessionId, mountPath, jobs };
}
