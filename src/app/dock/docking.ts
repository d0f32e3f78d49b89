import { FolderDeviceSource } from '../../adapters/folder-device-source.ts';
import { MountDeviceSource } from '../../adapters/mount-device-source.ts';
import { NodeUsbWatcher } from '../../adapters/usb-watcher.ts';
import type { DeviceSource } from '../../ports/device-source.ts';
import type { AppDeps } from '../deps.ts';
import { DockController } from './controller.ts';
import { UsbDockingSource } from './usb-docking.ts';

/**
 * The dock role's eyes: dock folders (`dock.paths`), mounted storage under `devices.mountRoots` joined
 * with USB events, all feeding one dock controller.
 */
export async function startDocking(deps: AppDeps): Promise<{ stop(): Promise<void> }> {
  const { config, log } = deps;
  const { devices } = config;
  const dock = new DockController(deps);
  const mounts = new MountDeviceSource({ roots: devices.mountRoots, fsTypes: devices.fsTypes, pollMs: devices.pollMs, log });
  const sources: DeviceSource[] = [
    new FolderDeviceSource(config.dock.paths, config.dock.settleMs),
    new UsbDockingSource(mounts, devices.usb ? new NodeUsbWatcher(log) : null, devices.models, log),
  ];
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
