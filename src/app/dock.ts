import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ulid } from 'ulid';
import { resolveIdentity } from '../domain/identity.ts';
import type { DeviceEvent } from '../ports/device-source.ts';
import type { AppDeps } from './deps.ts';

/** First non-empty line of the first id file present at the device root (read at most 256 bytes). */
async function readIdFile(mountPath: string, names: string[]): Promise<string | null> {
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

/** Turns device arrivals and departures into dock sessions and scan jobs. */
export class DockController {
  /** Arrivals and departures are handled one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AppDeps) {}

  handle(event: DeviceEvent): Promise<void> {
    this.queue = this.queue
      .then(() => (event.type === 'docked' ? this.docked(event.mountPath, event.volumeLabel) : this.undocked(event.mountPath)))
      .catch((error) => this.deps.log.error({ err: error, mountPath: event.mountPath, event: event.type }, 'dock event not handled; undock and dock the device again'));
    return this.queue;
  }

  private async docked(mountPath: string, volumeLabel: string | null): Promise<void> {
    const { catalog, clock, config, queues, log } = this.deps;
    const identity = resolveIdentity({
      idFileText: await readIdFile(mountPath, config.dock.idFiles),
      volumeLabel,
      folderName: basename(mountPath),
    });
    const now = clock.now();
    await catalog.upsertDevice({ serial: identity.serial, serialSource: identity.source, label: volumeLabel, seenAt: now });
    for (const stale of await catalog.openSessionsAt(config.dockHost, mountPath)) {
      await catalog.setSessionState(stale, 'interrupted', 'superseded: the device was docked again', now);
    }
    const sessionId = ulid(now.getTime());
    await catalog.openSession({ id: sessionId, deviceSerial: identity.serial, dockHost: config.dockHost, mountPath, startedAt: now });
    await catalog.addCustodyEvents([{
      type: 'device-detected', at: now, actor: config.dockHost, itemId: null, sessionId, deviceSerial: identity.serial, filePath: null,
      details: { mountPath, serialSource: identity.source, volumeLabel },
    }]);
    await queues.add('scan-device', { sessionId, deviceSerial: identity.serial, mountPath });
    log.info({ sessionId, deviceSerial: identity.serial, serialSource: identity.source, mountPath }, 'device docked');
  }

  private async undocked(mountPath: string): Promise<void> {
    const { catalog, clock, config, log } = this.deps;
    const now = clock.now();
    for (const sessionId of await catalog.openSessionsAt(config.dockHost, mountPath)) {
      const progress = await catalog.sessionProgress(sessionId);
      const reason = `device removed with ${progress?.filesDone ?? 0} of ${progress?.filesTotal ?? 0} files handled; dock it again to secure the rest`;
      await catalog.setSessionState(sessionId, 'interrupted', reason, now);
      await catalog.addCustodyEvents([{
        type: 'device-undocked', at: now, actor: config.dockHost, itemId: null, sessionId, deviceSerial: progress?.deviceSerial ?? null, filePath: null,
        details: { mountPath, reason },
      }]);
      log.warn({ sessionId, mountPath, reason }, 'device undocked before it was safe');
    }
  }
}
