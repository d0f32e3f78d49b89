import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeDevice } from './harness.ts';

/**
 * Real removable storage for tests: exFAT or FAT images on loop devices, mounted with exfat-fuse or
 * fusefat (the kernel here has no vfat), as a USB stick appears on a dock PC. Needs root (CI runs as
 * root) and the packages scripts/provision.sh installs. Every mount and loop device made here is undone
 * by `cleanup()`, which tests call in afterAll whatever happened.
 */

const run = promisify(execFile);

export type FileSystem = 'exfat' | 'vfat';

export interface Storage {
  image: string;
  fs: FileSystem;
  loop: string;
  mountPath: string;
}

async function mountedAt(mountPath: string): Promise<boolean> {
  const table = readFileSync('/proc/self/mountinfo', 'utf8');
  return table.split('\n').some((line) => line.split(' ')[4] === mountPath.replace(/ /g, '\\040'));
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class LoopRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'evidock-loops-'));
  private readonly storages = new Set<Storage>();
  private serial = 0;

  /** A formatted image of `sizeMb` holding `files` (written through a mount, then unmounted). */
  async image(fs: FileSystem, label: string | null, files: Record<string, string | number | Buffer>, options: { sizeMb?: number; mtime?: Date } = {}): Promise<string> {
    const image = join(this.dir, `disk-${++this.serial}.img`);
    await run('truncate', ['-s', `${options.sizeMb ?? 64}M`, image]);
    if (fs === 'exfat') await run('mkfs.exfat', [...(label ? ['-L', label] : []), image]);
    else await run('mkfs.vfat', [...(label ? ['-n', label] : []), image]);
    const staging = await this.mount(image, fs, join(this.dir, `staging-${this.serial}`));
    makeDevice(staging.mountPath, files, options.mtime);
    await this.unmount(staging);
    return image;
  }

  /** Attaches the image to a loop device and mounts it at `mountPath` (created if missing). */
  async mount(image: string, fs: FileSystem, mountPath: string, options: { readOnly?: boolean } = {}): Promise<Storage> {
    mkdirSync(mountPath, { recursive: true });
    const { stdout } = await run('losetup', ['-f', '--show', ...(options.readOnly ? ['-r'] : []), image]);
    const storage: Storage = { image, fs, loop: stdout.trim(), mountPath };
    this.storages.add(storage);
    if (fs === 'exfat') await run('mount.exfat-fuse', [...(options.readOnly ? ['-o', 'ro'] : []), storage.loop, mountPath]);
    // fusefat is read-only unless asked for rw+; it forks into the background once mounted.
    else await run('fusefat', ['-o', options.readOnly ? 'ro' : 'rw+', storage.loop, mountPath]);
    await waitUntil(`${mountPath} is mounted`, () => mountedAt(mountPath));
    return storage;
  }

  /**
   * Pulls the device: kills the FUSE daemon this rig started for it, so every read fails (ENOTCONN) as a
   * pulled USB device's do, while the dead mount stays in the table until it is unmounted.
   */
  yank(storage: Storage): void {
    const daemon = storage.fs === 'exfat' ? 'mount.exfat-fuse' : 'fusefat';
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      const args = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        } catch {
          return [];
        }
      })();
      if (args[0]?.endsWith(daemon) && args.includes(storage.loop)) process.kill(Number(pid), 'SIGKILL');
    }
  }

  /** Unmounts (lazily: like a desktop does when a device is pulled, open files keep their handles) and frees the loop device. */
  async unmount(storage: Storage, options: { lazy?: boolean } = {}): Promise<void> {
    if (await mountedAt(storage.mountPath)) await run('umount', [...(options.lazy ? ['-l'] : []), storage.mountPath]);
    await this.detach(storage);
  }

  private async detach(storage: Storage): Promise<void> {
    // The FUSE daemon lets go of the loop device a moment after the unmount; autoclear may beat us to it.
    await waitUntil(`${storage.loop} is released`, async () => {
      const { stdout } = await run('losetup', ['-j', storage.image]);
      if (!stdout.includes(`${storage.loop}:`)) return true;
      // Fails while the FUSE daemon still holds it ("busy") or once autoclear freed it: checked again above.
      await run('losetup', ['-d', storage.loop]).catch(() => undefined);
      return false;
    });
    this.storages.delete(storage);
  }

  /** Undoes every mount and loop device of this rig, then removes its images. */
  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    for (const storage of [...this.storages]) await this.unmount(storage, { lazy: true }).catch((error: unknown) => failures.push(error));
    rmSync(this.dir, { recursive: true, force: true });
    if (failures.length > 0) throw new AggregateError(failures, 'loop devices not cleaned up');
  }
}
