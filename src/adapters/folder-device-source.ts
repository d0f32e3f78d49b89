import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { DeviceEvent, DeviceSource } from '../ports/device-source.ts';

/**
 * Dock folders: each folder that appears directly inside a dock path is a device (a mount point or
 * a copied card). It is reported once it has existed for `settleMs`, so a copy in progress is not
 * scanned half-made; removing the folder is an undock.
 */
export class FolderDeviceSource implements DeviceSource {
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dockPaths: string[],
    private readonly settleMs: number,
  ) {}

  async start(onEvent: (event: DeviceEvent) => void): Promise<void> {
    const roots = new Set(this.dockPaths.map((p) => resolve(p)));
    for (const root of roots) mkdirSync(root, { recursive: true });
    const isDevice = (path: string) => roots.has(dirname(resolve(path)));
    this.watcher = watch([...roots], { depth: 0, ignoreInitial: false, followSymlinks: false });
    this.watcher.on('addDir', (path) => {
      if (!isDevice(path)) return;
      const mountPath = resolve(path);
      clearTimeout(this.pending.get(mountPath));
      this.pending.set(mountPath, setTimeout(() => {
        this.pending.delete(mountPath);
        onEvent({ type: 'docked', mountPath, volumeLabel: null });
      }, this.settleMs));
    });
    this.watcher.on('unlinkDir', (path) => {
      if (!isDevice(path)) return;
      const mountPath = resolve(path);
      const timer = this.pending.get(mountPath);
      if (timer) {
        clearTimeout(timer);
        this.pending.delete(mountPath);
        return;
      }
      onEvent({ type: 'undocked', mountPath });
    });
    await new Promise<void>((ready, fail) => {
      this.watcher!.once('ready', ready);
      this.watcher!.once('error', fail);
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await this.watcher?.close();
    this.watcher = null;
  }
}
