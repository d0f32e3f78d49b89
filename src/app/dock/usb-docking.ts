import type { DeviceModel } from '../../config/devices-schema.ts';
import { type UsbEvent, usbOfBlockDevice, vidPid } from '../../domain/usb.ts';
import type { Logger } from '../../log.ts';
import type { DeviceEvent, DeviceSource } from '../../ports/device-source.ts';
import type { UsbWatcher } from '../../ports/usb-watcher.ts';

type Attach = UsbEvent & { type: 'attach' };

/**
 * Mounted storage joined with USB events: a mount whose block device sits on a USB device gets that
 * device's identity and its bay (the USB port path); detaching the USB device undocks its mounts at once,
 * before the mount table catches up (a FUSE mount of a pulled device can linger).
 */
export class UsbDockingSource implements DeviceSource {
  private readonly attached = new Map<string, Attach>();
  /** mount path → bay, for mounts on a USB device. */
  private readonly bays = new Map<string, string>();
  private onEvent: (event: DeviceEvent) => void = () => undefined;

  constructor(
    private readonly mounts: DeviceSource,
    private readonly usb: UsbWatcher | null,
    private readonly models: DeviceModel[],
    private readonly log: Logger,
  ) {}

  async start(onEvent: (event: DeviceEvent) => void): Promise<void> {
    this.onEvent = onEvent;
    if (this.usb) {
      const off = await this.usb.start((event) => this.usbEvent(event));
      if (off) this.log.info({ reason: off }, 'USB events off: devices are found by their mounts alone');
    }
    await this.mounts.start((event) => this.mountEvent(event));
  }

  async stop(): Promise<void> {
    await this.mounts.stop();
    await this.usb?.stop();
  }

  private usbEvent(event: UsbEvent): void {
    if (event.type === 'attach') {
      this.attached.set(event.handle, event);
      const id = vidPid(event.vendorId, event.productId);
      const model = this.models.find((m) => m.usb.some((u) => u.toLowerCase() === id));
      if (model) this.log.info({ bay: event.portPath, vidPid: id, model: model.name, usbSerial: event.serial }, 'recorder attached; waiting for its storage to be mounted');
      else this.log.debug({ bay: event.portPath, vidPid: id }, 'USB device attached');
      return;
    }
    const gone = this.attached.get(event.handle);
    this.attached.delete(event.handle);
    if (!gone) return;
    for (const [mountPath, bay] of this.bays) {
      if (bay !== gone.portPath) continue;
      this.bays.delete(mountPath);
      this.onEvent({ type: 'undocked', mountPath, reason: `USB device detached from bay ${bay}` });
    }
  }

  private mountEvent(event: DeviceEvent): void {
    if (event.type === 'undocked') {
      this.bays.delete(event.mountPath);
      this.onEvent(event);
      return;
    }
    const usb = event.block ? usbOfBlockDevice(event.block, this.attached.values()) : null;
    if (usb) this.bays.set(event.mountPath, usb.portPath);
    this.onEvent({ ...event, usb, bay: usb?.portPath ?? event.mountPath });
  }
}
