import type { DeviceSource } from '../../ports/device-source.ts';
import type { UsbWatcher } from '../../ports/usb-watcher.ts';
import type { DockDeps } from './deps.ts';
import { DockController } from './controller.ts';
import { UsbDockingSource } from './usb-docking.ts';

/** The device adapters the dock role watches, built by the composition root. */
export interface DeviceAdapters {
  /** Dock folders (`dock.paths`). */
  folders: DeviceSource;
  /** Mounted storage under `devices.mountRoots`. */
  mounts: DeviceSource;
  /** USB events (`devices.usb`), joined with the mounts; null when off. */
  usb: UsbWatcher | null;
}

export interface Docking {
  /** No new device is taken; what the controller is doing goes on. */
  stopWatching(): Promise<void>;
  /** Stops watching and waits for the controller's work in hand. */
  stop(): Promise<void>;
}

/**
 * The dock role's eyes: dock folders, mounted storage joined with USB events, all feeding one dock controller.
 */
export async function startDocking(deps: DockDeps, adapters: DeviceAdapters): Promise<Docking> {
  const { config, log } = deps;
  const { devices } = config;
  const dock = new DockController(deps);
  const sources: DeviceSource[] = [adapters.folders, new UsbDockingSource(adapters.mounts, adapters.usb, devices.models, log)];
  const started: DeviceSource[] = [];
  const stopWatching = async () => {
    for (const source of started.splice(0)) await source.stop();
  };
  const stop = async () => {
    await stopWatching();
    await dock.stop();
  };
  try {
    for (const source of sources) {
      await source.start((event) => void dock.handle(event));
      started.push(source);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Folder docks report devices present at start only after settleMs.
  dock.start(devices.pollMs, config.dock.settleMs + 2 * devices.pollMs);
  log.info({ dockPaths: config.dock.paths, mountRoots: devices.mountRoots, usb: devices.usb, maxConcurrent: devices.maxConcurrent }, 'watching for devices');
  return { stopWatching, stop };
}
