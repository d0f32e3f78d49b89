/**
 * Tying a USB device to the storage it brings: a recorder plugged into a dock shows up three times, as a
 * USB device (vendor:product, serial, the port it is plugged into), as a block device (`sdb1`, whose
 * sysfs path runs through that USB port, and whose `/dev/disk/by-id` name carries the USB serial), and
 * as a mount. The port path (`1-2.3`: bus 1, port 2, then port 3 of the hub there) is the bay.
 */

export interface UsbIdentity {
  /** `vvvv:pppp`, lower-case hex. */
  vidPid: string;
  serial: string | null;
  /** The USB port path, as sysfs names it: the bay the device is plugged into. */
  portPath: string;
  product: string | null;
}

/** What the USB adapter reports (recorded from the `usb` package's attach/detach events). */
export type UsbEvent =
  | { type: 'attach'; handle: string; vendorId: number; productId: number; serial: string | null; product: string | null; portPath: string }
  | { type: 'detach'; handle: string };

/** What sysfs and udev say about a block device: its resolved sysfs path and the by-id names pointing at it. */
export interface BlockDeviceFacts {
  /** `sdb1`. */
  name: string;
  /** Resolved `/sys/class/block/<name>`, e.g. `/sys/devices/pci0000:00/…/usb1/1-2/1-2.3/1-2.3:1.0/host6/…/block/sdb/sdb1`. */
  sysPath: string;
  /** Names in `/dev/disk/by-id` that point at it. */
  byId: string[];
  /** Attributes of the USB device the sysfs path runs through, when it does. */
  usb: UsbIdentity | null;
}

export const vidPid = (vendorId: number, productId: number) =>
  `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;

/** `1-2.3` from bus 1 and ports [2, 3]; a bus already given as a port path is kept. */
export function portPathOf(bus: string | number, ports: number[]): string {
  const text = String(bus);
  if (/^\d+-\d+(\.\d+)*$/.test(text)) return text;
  return `${Number.parseInt(text, 10)}-${ports.join('.')}`;
}

const PORT_SEGMENT = /^\d+-\d+(\.\d+)*$/;

/** The USB port path a sysfs device path runs through (the last one: a hub's port comes before the device's). */
export function portPathInSysPath(sysPath: string): string | null {
  return sysPath.split('/').filter((segment) => PORT_SEGMENT.test(segment)).at(-1) ?? null;
}

/** The serial in a by-id name such as `usb-Vendor_Model_0123456789AB-0:0-part1` (udev's `ID_SERIAL_SHORT`). */
export function serialInById(name: string): string | null {
  const match = /^usb-(.+)-\d+:\d+(?:-part\d+)?$/.exec(name);
  const serial = match?.[1]!.split('_').at(-1);
  return serial ? serial : null;
}

/**
 * The USB device a block device belongs to: sysfs says so directly when the device's attributes are
 * readable; otherwise an attached USB device matches by its port path in the sysfs path, or by its serial
 * in a by-id name. Storage that is not on USB (a loop device, an internal card reader) has none.
 */
export function usbOfBlockDevice(block: BlockDeviceFacts, attached: Iterable<UsbEvent & { type: 'attach' }>): UsbIdentity | null {
  const serials = block.byId.map(serialInById).filter((s): s is string => s !== null);
  // A device without a USB serial string still has one in by-id when udev took it from the SCSI inquiry.
  if (block.usb) return { ...block.usb, serial: block.usb.serial ?? serials[0] ?? null };
  const port = portPathInSysPath(block.sysPath);
  for (const a of attached) {
    if ((port !== null && a.portPath === port) || (a.serial !== null && serials.includes(a.serial))) {
      return { vidPid: vidPid(a.vendorId, a.productId), serial: a.serial, portPath: a.portPath, product: a.product };
    }
  }
  return null;
}

/** The block device behind a mount source such as `/dev/sdb1` (FUSE sources like `fusefat` name none). */
export function blockDeviceName(source: string): string | null {
  const match = /^\/dev\/([A-Za-z0-9._-]+)$/.exec(source);
  return match ? match[1]! : null;
}
