import { lstat, opendir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export type WalkEntry =
  | { type: 'file'; relPath: string; size: number; mtimeMs: number }
  | { type: 'refused'; relPath: string; size: number; mtimeMs: number; reason: string };

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * Every regular file under a device root, depth first, with paths relative to the root.
 * Symlinks are never followed: one that leaves the device would pull in files that are not
 * the device's, one inside it points at a file that is secured on its own.
 */
export async function* walkDevice(root: string): AsyncGenerator<WalkEntry> {
  const realRoot = await realpath(root);
  const pending: string[] = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for await (const dirent of await opendir(dir)) {
      const abs = join(dir, dirent.name);
      const relPath = toPosix(relative(root, abs));
      if (dirent.isDirectory()) {
        pending.push(abs);
      } else if (dirent.isSymbolicLink()) {
        const st = await lstat(abs);
        const target = await realpath(abs).catch(() => null);
        const inside = target !== null && (target === realRoot || target.startsWith(realRoot + sep));
        const reason = target === null ? 'dangling symlink' : inside ? `symlink to ${toPosix(relative(realRoot, target))} on the device, which is secured itself` : `symlink pointing outside the device (${target})`;
        yield { type: 'refused', relPath, size: st.size, mtimeMs: st.mtimeMs, reason };
      } else if (dirent.isFile()) {
        const st = await lstat(abs);
        yield { type: 'file', relPath, size: st.size, mtimeMs: st.mtimeMs };
      }
    }
  }
}
