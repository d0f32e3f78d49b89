import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DeviceModel } from '../../config/devices-schema.ts';
import { type DeviceIdentity, resolveIdentity } from '../../domain/identity.ts';
import { type Admission, admit, cluePaths, type Recognition, recognise } from '../../domain/recorders.ts';
import type { DockedDevice } from '../../ports/device-source.ts';
import type { DockDeps } from './deps.ts';
import { firstLineOf } from './device-files.ts';

export interface Examined {
  identity: DeviceIdentity;
  recognition: Recognition;
  model: DeviceModel | null;
  admission: Admission;
}

/** Which of `paths` exist at the device root. */
async function presentAt(mountPath: string, paths: string[]): Promise<Set<string>> {
  const found = await Promise.all(paths.map((p) => access(join(mountPath, p)).then(() => p, () => null)));
  return new Set(found.filter((p): p is string => p !== null));
}

/**
 * Looks at a docked device the way an admin would: its serial (id file, USB serial, volume label, folder
 * name), whether it is a recorder and of which model, and whether the register lets it be ingested.
 */
export async function examine(deps: Pick<DockDeps, 'config' | 'docks'>, device: DockedDevice): Promise<Examined> {
  const { config, docks } = deps;
  const idFileText = await firstLineOf(device.mountPath, config.dock.idFiles);
  const identity = resolveIdentity({ idFileText, usbSerial: device.usb?.serial ?? null, volumeLabel: device.volumeLabel, folderName: basename(device.mountPath) });
  const recognition = recognise(config.devices, {
    vidPid: device.usb?.vidPid ?? null,
    volumeLabel: device.volumeLabel,
    present: await presentAt(device.mountPath, cluePaths(config.devices)),
    hasIdFile: idFileText !== null,
  });
  const admission = admit({
    via: device.via ?? 'folder',
    recognition,
    registered: await docks.deviceStatus(identity.serial),
    pendingPolicy: config.devices.pendingPolicy,
    serial: identity.serial,
  });
  return { identity, recognition, model: recognition.kind === 'model' ? recognition.match.model : null, admission };
}
