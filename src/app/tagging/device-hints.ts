import { open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ParseContext, Sidecar, VendorParser } from '../../domain/vendor-names.ts';
import type { DeviceHints } from '../../ports/tag-store.ts';

const SIDECAR_MAX = 256 * 1024;

/** The sidecars present on the device, in order; one that cannot be read or parsed is kept with the reason. */
async function readSidecars(mountPath: string, paths: string[]): Promise<Sidecar[]> {
  const found: Sidecar[] = [];
  for (const path of paths) {
    const handle = await open(join(mountPath, path), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (!handle) continue;
    try {
      const { size } = await handle.stat();
      found.push(size > SIDECAR_MAX ? { path, content: null, error: `larger than ${SIDECAR_MAX} bytes; not read` } : parsed(path, await handle.readFile('utf8')));
    } finally {
      await handle.close();
    }
  }
  return found;
}

function parsed(path: string, text: string): Sidecar {
  try {
    return { path, content: JSON.parse(text), error: null };
  } catch (error) {
    return { path, content: null, error: `not JSON: ${(error as Error).message}` };
  }
}

/** The names beside a recording (a vendor's sidecars are named after things only a listing shows, like Axis bookmarks). */
const siblingsOf = (mountPath: string, relPath: string) =>
  readdir(join(mountPath, dirname(relPath))).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });

/**
 * What the device says about one recording: the first parser (of the device model's, in order) that
 * recognises its name, with the sidecars it reads. Read while the device is docked; the raw name is kept
 * whether or not a parser recognised it.
 */
export async function readDeviceHints(mountPath: string, relPath: string, parsers: VendorParser[], context: ParseContext): Promise<DeviceHints> {
  const siblings = parsers.length > 0 ? await siblingsOf(mountPath, relPath) : [];
  for (const parser of parsers) {
    const sidecars = await readSidecars(mountPath, parser.sidecarPaths(relPath, siblings));
    const says = parser.parse(relPath, sidecars, context);
    if (says) return { rawName: relPath, says, sidecars };
  }
  return { rawName: relPath, says: null, sidecars: [] };
}
