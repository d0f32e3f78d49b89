import { statfs } from 'node:fs/promises';
import type { DiskSpace } from '../ports/disk-space.ts';

/** statfs(2): free space as an unprivileged process sees it (`bavail`), not counting root's reserve. */
export const statfsDiskSpace: DiskSpace = {
  async usage(path) {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  },
};
