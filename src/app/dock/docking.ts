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

/**
 * The dock role's eyes: dock folders, mounted storage joined with USB events, all feeding one dock controller.
 */
export async function startDocking(deps: DockDeps, adapters: DeviceAdapters): Promise<{ stop(): Promise<void> }> {
  const { config, log } = deps;
  const { devices } = config;
  const dock = new DockController(deps);
  const sources: DeviceSource[] = [adapters.folders, new UsbDockingSource(adapters.mounts, adapters.usb, devices.models, log)];
  const started: DeviceSource[] = [];
  const stop = async () => {
    for (const source of started.splice(0)) await source.stop();
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
  return { stop };
}
