import type { BlockDeviceFacts, UsbIdentity } from '../domain/usb.ts';

/** A docked device as its source sees it. Only `mountPath` and `volumeLabel` are known for every source. */
export interface DockedDevice {
  mountPath: string;
  volumeLabel: string | null;
  /** `folder`: a folder in a dock path (the default); `mount`: a file system mounted under a mount root. */
  via?: 'folder' | 'mount';
  /** Where the device is plugged in: the USB port path, else the mount path. */
  bay?: string;
  usb?: UsbIdentity | null;
  /** The block device behind a mount, as sysfs describes it (to tie it to a USB device). */
  block?: BlockDeviceFacts | null;
  fsType?: string | null;
  readOnly?: boolean;
}

/** A device appearing in or leaving a dock: a dock folder, a mount, or a USB device's storage. */
export type DeviceEvent =
  | ({ type: 'docked' } & DockedDevice)
  | { type: 'undocked'; mountPath: string; reason?: string };

export interface DeviceSource {
  /** Emits 'docked' for devices already present, then for each arrival, once it has settled. */
  start(onEvent: (event: DeviceEvent) => void): Promise<void>;
  stop(): Promise<void>;
}
