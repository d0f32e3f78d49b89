import { stat } from 'node:fs/promises';

/**
 * Whether the device docked at `mountPath` is still there: its root still has the st_dev it had when it
 * was docked. A pulled device leaves either nothing (a dock folder removed) or the empty mount point on
 * the parent file system (an unmounted storage), which `existsSync` alone would take for an empty device.
 * Without a recorded id (`null`), the path existing is all that can be checked.
 */
export async function deviceStillThere(mountPath: string, deviceDev: number | null | undefined): Promise<boolean> {
  const root = await stat(mountPath).catch(() => null);
  if (root === null) return false;
  return deviceDev === null || deviceDev === undefined || root.dev === deviceDev;
}

/** st_dev of the device's root, recorded when it docks. */
export async function deviceDevOf(mountPath: string): Promise<number> {
  return (await stat(mountPath)).dev;
}
