import { existsSync } from 'node:fs';
import { access, readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { deviceMounts, type MountEntry, mountIdentity, parseMountInfo } from '../domain/mounts.ts';
import { blockDeviceName } from '../domain/usb.ts';
import type { Logger } from '../log.ts';
import type { DeviceEvent, DeviceSource } from '../ports/device-source.ts';
import { blockDeviceFacts, probeVolume, type VolumeFacts } from './block-devices.ts';

export interface MountSourceSettings {
  roots: string[];
  fsTypes: string[];
  pollMs: number;
  log: Logger;
  /** Where the mount table is read (tests may point elsewhere). */
  mountInfoPath?: string;
}

/** A storage answering statfs slower than this is treated as gone (a FUSE daemon whose device was pulled). */
const ALIVE_TIMEOUT_MS = 5000;

/**
 * Mounted storage under the mount roots. The mount table (/proc/self/mountinfo) is the truth: it is read
 * at start (devices mounted before evidock started are docked too), every `pollMs`, and at once when a
 * watcher on the roots sees a mount point appear or go. node-disk-info is not used: it runs `df`
 * synchronously (blocking the event loop), cuts paths at the first space, and gives no type or label.
 * chokidar only nudges: a watcher on a root never sees inside file systems mounted later.
 * A mount that leaves the table, whose block device leaves sysfs, or whose statfs fails (a dead FUSE
 * daemon answers ENOTCONN) is undocked. A mount is known by `mountIdentity` (its line plus its volume's
 * UUID, probed at every read), so a device swapped for another between two reads is undocked and the
 * other docked.
 */
export class MountDeviceSource implements DeviceSource {
  private readonly known = new Map<string, MountEntry>();
  /** The last volume probe of each mount line, kept so a probe failing once does not make the mount look new. */
  private volumes = new Map<string, VolumeFacts | null>();
  /**
   * Mounts reported gone while still in the table. One whose file system failed is looked at again (a
   * device pulled and plugged back between two reads can reuse the mount id); one that hung is not, as
   * each look would park another thread on it.
   */
  private readonly dead = new Map<string, Gone['kind']>();
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private onEvent: (event: DeviceEvent) => void = () => undefined;

  constructor(private readonly settings: MountSourceSettings) {}

  async start(onEvent: (event: DeviceEvent) => void): Promise<void> {
    this.onEvent = onEvent;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.settings.pollMs);
    const roots = this.settings.roots.filter((root) => existsSync(root));
    if (roots.length > 0) {
      this.watcher = watch(roots, { depth: 0, ignoreInitial: true, followSymlinks: false });
      this.watcher.on('all', () => void this.poll());
      this.watcher.on('error', (err) => this.settings.log.warn({ err, roots }, 'mount-root watcher failed; the mount table is still read every pollMs'));
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.watcher?.close();
    this.watcher = null;
    await this.polling;
  }

  /** One read of the mount table at a time; a nudge during a read runs one more read after it. */
  private poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        await this.readTable().catch((err) => this.settings.log.error({ err }, 'mount table not read; trying again at the next poll'));
      } while (this.again);
      this.polling = null;
    })();
    return this.polling;
  }

  private async readTable(): Promise<void> {
    const text = await readFile(this.settings.mountInfoPath ?? '/proc/self/mountinfo', 'utf8');
    const listed = deviceMounts(parseMountInfo(text), this.settings.roots, this.settings.fsTypes);
    const volumes = new Map(await Promise.all(listed.map(async (m) => [lineKey(m), await this.probe(m)] as const)));
    this.volumes = volumes;
    const current = new Map(listed.map((m) => [mountIdentity(m, volumes.get(lineKey(m))?.uuid ?? null), m]));
    for (const [k, mount] of this.known) {
      if (current.has(k)) continue;
      this.known.delete(k);
      if (!this.dead.delete(k)) this.onEvent({ type: 'undocked', mountPath: mount.mountPoint, reason: 'unmounted' });
    }
    for (const k of this.dead.keys()) if (!current.has(k)) this.dead.delete(k);
    for (const [k, mount] of current) {
      if (this.dead.get(k) === 'hung') continue;
      const gone = await whyGone(mount);
      if (gone) {
        this.dead.set(k, gone.kind);
        if (this.known.delete(k)) this.onEvent({ type: 'undocked', mountPath: mount.mountPoint, reason: gone.reason });
        continue;
      }
      this.dead.delete(k);
      if (this.known.has(k)) continue;
      this.known.set(k, mount);
      this.onEvent({ type: 'docked', via: 'mount', mountPath: mount.mountPoint, readOnly: mount.readOnly, ...(await this.describe(mount, volumes.get(lineKey(mount)) ?? null)) });
    }
  }

  /** The volume behind a mount on a block device (null for FUSE file systems naming none); a failed probe keeps the last answer. */
  private async probe(mount: MountEntry): Promise<VolumeFacts | null> {
    if (blockDeviceName(mount.source) === null) return null;
    return probeVolume(mount.source).catch((err: Error) => {
      const last = this.volumes.get(lineKey(mount));
      if (last === undefined) this.settings.log.warn({ err, device: mount.source, mountPath: mount.mountPoint }, 'volume not readable; the device is identified without its label and UUID');
      return last ?? null;
    });
  }

  private async describe(mount: MountEntry, volume: VolumeFacts | null) {
    const name = blockDeviceName(mount.source);
    if (name === null) return { volumeLabel: null, fsType: mount.fsType, block: null };
    // fuseblk says only "some FUSE file system on a block device"; the probe names it (exfat, vfat).
    return { volumeLabel: volume?.label ?? null, fsType: volume?.type ?? mount.fsType, block: await blockDeviceFacts(name) };
  }
}

const lineKey = (m: MountEntry) => mountIdentity(m, null);

type Gone = { kind: 'failed' | 'hung'; reason: string };

async function whyGone(mount: MountEntry): Promise<Gone | null> {
  const name = blockDeviceName(mount.source);
  if (name !== null && !(await access(join('/sys/class/block', name)).then(() => true, () => false))) {
    return { kind: 'failed', reason: `its block device ${mount.source} is gone` };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Gone>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung', reason: `it did not answer for ${ALIVE_TIMEOUT_MS / 1000} s` }), ALIVE_TIMEOUT_MS);
  });
  const answered = statfs(mount.mountPoint).then(() => null, (error: NodeJS.ErrnoException): Gone => ({ kind: 'failed', reason: `it fails with ${error.code ?? error.message}` }));
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
