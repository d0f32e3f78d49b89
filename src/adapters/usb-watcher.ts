import { existsSync } from 'node:fs';
import { portPathOf, type UsbEvent } from '../domain/usb.ts';
import type { Logger } from '../log.ts';
import type { UsbWatcher } from '../ports/usb-watcher.ts';

type Native = typeof import('usb/index.js');
type NativeDevice = Parameters<Parameters<InstanceType<Native['Emitter']>['addAttach']>[0]>[0];

/**
 * USB attach/detach through the `usb` package (3.x, the napi rewrite with prebuilt binaries; it loads on
 * Node 20). Its WebUSB layer is not used: on a host without a USB bus, adding a `connect` listener there
 * ends the process through a rejection it never handles. This adapter talks to the package's native
 * emitter, whose every call returns a promise it can catch, and does not even load the package when
 * /sys/bus/usb is absent. Nothing here may take the daemon down: failures turn USB events off, logged.
 */
export class NodeUsbWatcher implements UsbWatcher {
  private emitter: InstanceType<Native['Emitter']> | null = null;

  constructor(
    private readonly log: Logger,
    private readonly busPath = '/sys/bus/usb',
  ) {}

  async start(onEvent: (event: UsbEvent) => void): Promise<string | null> {
    if (!existsSync(this.busPath)) return `no USB bus on this host (${this.busPath} is absent)`;
    const emit = (event: UsbEvent) => {
      try {
        onEvent(event);
      } catch (err) {
        this.log.error({ err, event }, 'USB event not handled');
      }
    };
    try {
      const native: Native = await import('usb/index.js');
      const emitter = new native.Emitter();
      await emitter.addAttach((device) => {
        const event = attachEvent(device);
        if (event) emit(event);
        else this.log.warn({ handle: device.handle }, 'USB device attached but not readable; it is known by its mount only');
      });
      await emitter.addDetach((handle) => emit({ type: 'detach', handle }));
      this.emitter = emitter;
      for (const device of await native.nativeGetDevices()) {
        const event = attachEvent(device);
        if (event) emit(event);
      }
      return null;
    } catch (err) {
      await this.stop();
      return `USB events unavailable: ${(err as Error).message}`;
    }
  }

  async stop(): Promise<void> {
    const emitter = this.emitter;
    this.emitter = null;
    if (!emitter) return;
    await emitter.removeAttach().catch((err: Error) => this.log.warn({ err }, 'USB attach listener not removed'));
    await emitter.removeDetach().catch((err: Error) => this.log.warn({ err }, 'USB detach listener not removed'));
  }
}

/** The getters read sysfs or the device and can throw for a device that is already gone. */
function attachEvent(device: NativeDevice): UsbEvent | null {
  try {
    return {
      type: 'attach',
      handle: device.handle,
      vendorId: device.vendorId,
      productId: device.productId,
      serial: device.serialNumber,
      product: device.productName,
      portPath: portPathOf(device.bus, device.ports),
    };
  } catch {
    return null;
  }
}
