import { execFile } from 'node:child_process';
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type BlockDeviceFacts, type UsbIdentity, vidPid } from '../domain/usb.ts';

/**
 * What the kernel (sysfs) and udev (`/dev/disk/by-id`) say about a block device. `root` is `/` on a real
 * host; tests point it at a captured tree (test/fixtures/sysfs).
 */
export async function blockDeviceFacts(name: string, root = '/'): Promise<BlockDeviceFacts | null> {
  const resolved = await realpath(join(root, 'sys/class/block', name)).catch(() => null);
  if (resolved === null) return null;
  const sysPath = `/${resolved.slice(join(root, '/').length)}`;
  return { name, sysPath, byId: await byIdNames(name, root), usb: await usbAncestor(resolved, root) };
}

async function byIdNames(name: string, root: string): Promise<string[]> {
  const dir = join(root, 'dev/disk/by-id');
  const names = await readdir(dir).catch(() => [] as string[]);
  const targets = await Promise.all(names.map(async (n) => [n, await readlink(join(dir, n)).catch(() => '')] as const));
  return targets.filter(([, target]) => basename(target) === name).map(([n]) => n).sort();
}

const attr = (dir: string, file: string) => readFile(join(dir, file), 'utf8').then((t) => t.trim() || null, () => null);

/** The nearest ancestor of a sysfs device path that is a USB device (has idVendor/idProduct), with its attributes. */
async function usbAncestor(resolved: string, root: string): Promise<UsbIdentity | null> {
  const stop = join(root, 'sys/devices');
  for (let dir = dirname(resolved); dir.startsWith(`${stop}/`); dir = dirname(dir)) {
    const [vendor, product] = await Promise.all([attr(dir, 'idVendor'), attr(dir, 'idProduct')]);
    if (vendor && product) {
      return {
        vidPid: vidPid(Number.parseInt(vendor, 16), Number.parseInt(product, 16)),
        serial: await attr(dir, 'serial'),
        portPath: basename(dir),
        product: await attr(dir, 'product'),
      };
    }
  }
  return null;
}

/**
 * Volume label and file-system type of a block device, by low-level probe (`blkid -p`: reads the
 * superblock, no cache; needs read access to the device, as the dock daemon has). Rejects when blkid
 * cannot read it.
 */
export interface VolumeFacts {
  label: string | null;
  type: string | null;
  /** The file system's UUID or volume serial (`7F1D-FF82` on exFAT): new at every format. */
  uuid: string | null;
}

export async function probeVolume(devicePath: string): Promise<VolumeFacts> {
  const { stdout } = await promisify(execFile)('blkid', ['-p', '-o', 'export', devicePath], { timeout: 5000 });
  const fields = new Map(stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { label: fields.get('LABEL') || null, type: fields.get('TYPE') || null, uuid: fields.get('UUID') || null };
}
