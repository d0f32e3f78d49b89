import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sidecar, VendorParser } from '../../domain/vendor-names.ts';
import type { DeviceHints } from '../../ports/tag-store.ts';

const SIDECAR_MAX = 256 * 1024;

/** The first sidecar present on the device; one that cannot be read or parsed is kept with the reason. */
async function readSidecar(mountPath: string, paths: string[]): Promise<Sidecar | null> {
  for (const path of paths) {
    const handle = await open(join(mountPath, path), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (!handle) continue;
    try {
      const { size } = await handle.stat();
      if (size > SIDECAR_MAX) return { path, content: null, error: `larger than ${SIDECAR_MAX} bytes; not read` };
      const text = await handle.readFile('utf8');
      try {
        return { path, content: JSON.parse(text), error: null };
      } catch (error) {
        return { path, content: null, error: `not JSON: ${(error as Error).message}` };
      }
    } finally {
      await handle.close();
    }
  }
  return null;
}

/**
 * What the device says about one recording: the first parser (of the device model's, in order) that
 * recognises its name, with the sidecar it reads. Read while the device is docked; the raw name is kept
 * whether or not a parser recognised it.
 */
export async function readDeviceHints(mountPath: string, relPath: string, parsers: VendorParser[], deviceZone: string): Promise<DeviceHints> {
  for (const parser of parsers) {
    const sidecar = await readSidecar(mountPath, parser.sidecarPaths(relPath));
    const says = parser.parse(relPath, sidecar, deviceZone);
    if (says) return { rawName: relPath, says, sidecar };
  }
  return { rawName: relPath, says: null, sidecar: null };
}
