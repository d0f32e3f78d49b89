import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Whether the device docked at `mountPath` is still there: its root still has the st_dev it had when it
 * was docked, and its file system answers. A pulled device leaves nothing (a dock folder removed), the
 * empty mount point on the parent file system (storage unmounted: `existsSync` alone would take it for an
 * empty device), or a FUSE mount whose daemon is gone (statfs fails with ENOTCONN; stat may still answer
 * from the kernel's attribute cache). Without a recorded id (`null`), the path answering is all there is.
 */
export async function deviceStillThere(mountPath: string, deviceDev: number | null | undefined): Promise<boolean> {
  const root = await stat(mountPath).catch(() => null);
  if (root === null || !(await statfs(mountPath).then(() => true, () => false))) return false;
  return deviceDev === null || deviceDev === undefined || root.dev === deviceDev;
}

/** Whether a file system that answers is mounted at `path` (its root is on another device than its parent). */
export async function mountedAt(path: string): Promise<boolean> {
  const [root, parent] = await Promise.all([stat(path).catch(() => null), stat(dirname(path)).catch(() => null)]);
  return root !== null && parent !== null && root.dev !== parent.dev && (await statfs(path).then(() => true, () => false));
}

/** st_dev of the device's root, recorded when it docks. */
export async function deviceDevOf(mountPath: string): Promise<number> {
  return (await stat(mountPath)).dev;
}
