import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** First non-empty line of the first of `names` present at the device root (reads at most 256 bytes). */
export async function firstLineOf(mountPath: string, names: string[]): Promise<string | null> {
  for (const name of names) {
    const handle = await open(join(mountPath, name), 'r').catch(() => null);
    if (!handle) continue;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
      const line = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/).find((l) => l.trim());
      if (line) return line;
    } finally {
      await handle.close();
    }
  }
  return null;
}
