import { ulid } from 'ulid';
import { parseClockFile, readClock } from '../../domain/clock.ts';
import { custodyEvent, type CustodyEvent } from '../../domain/custody.ts';
import type { ScanDevicePayload, SecureFilePayload } from '../../domain/jobs.ts';
import { mediaKindOf } from '../../domain/media.ts';
import { importantFiles } from '../../domain/recorders.ts';
import type { SessionFile } from '../../ports/catalog.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import { isEnded } from '../../domain/dock-session.ts';
import { interruptSession } from './bays.ts';
import type { DockDeps } from './deps.ts';
import { firstLineOf } from './device-files.ts';
import { deviceStillThere } from './device-presence.ts';
import { walkDevice } from './device-walk.ts';
import { moveSession } from './moves.ts';
import { settleSession } from './session.ts';

const PROGRESS_EVERY = 500;

/**
 * Lists a docked device, records every file it holds on the session (media to secure, the rest
 * with the reason it is not), reads the device's clock, and queues one secure job per media file,
 * those the device marks important first.
 */
export function scanDeviceProcessor(deps: Pick<DockDeps, 'catalog' | 'docks' | 'queues' | 'clock' | 'config' | 'log'>): Processor<'scan-device'> {
  const { catalog, docks, clock, config, queues } = deps;
  return async (p: ScanDevicePayload, ctx: JobContext) => {
    const files: Array<Omit<SessionFile, 'itemId'>> = [];
    const events: CustodyEvent[] = [];
    const event = (type: CustodyEvent['type'], filePath: string, details: Record<string, unknown>): CustodyEvent =>
      custodyEvent(type, clock.now(), config.dockHost, { sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath }, details);
    const dock = await docks.dockDetails(p.sessionId);
    if (dock && isEnded(dock.state)) return { outcome: 'session-ended', state: dock.state };
    const interrupted = async (when: string) => {
      await interruptSession(deps, { sessionId: p.sessionId, deviceSerial: p.deviceSerial, mountPath: p.mountPath },
        `device removed ${when} (${files.length} files listed); dock it again to secure its files`);
      return { outcome: 'interrupted', filesListed: files.length };
    };
    if (!(await deviceStillThere(p.mountPath, p.deviceDev))) return interrupted('before the scan');

    try {
      for await (const entry of walkDevice(p.mountPath)) {
        ctx.signal.throwIfAborted();
        if (entry.type === 'refused') {
          files.push({ relPath: entry.relPath, size: entry.size, mtimeMs: entry.mtimeMs, kind: null, state: 'refused', reason: entry.reason });
          events.push(event('file-refused', entry.relPath, { reason: entry.reason }));
        } else {
          const kind = mediaKindOf(entry.relPath, config.dock.media);
          files.push({ relPath: entry.relPath, size: entry.size, mtimeMs: entry.mtimeMs, kind, state: kind ? 'pending' : 'refused', reason: kind ? null : 'not a media file (extension not in dock.media)' });
          if (kind) events.push(event('file-found', entry.relPath, { size: entry.size, mtime: new Date(entry.mtimeMs).toISOString(), kind }));
        }
        if (files.length % PROGRESS_EVERY === 0) await ctx.progress({ filesListed: files.length });
      }
    } catch (error) {
      if (!(await deviceStillThere(p.mountPath, p.deviceDev))) return interrupted('during the scan');
      throw error;
    }
    // A walk can run to its end on directory handles opened before a lazy unmount: a listing is only
    // recorded while the device is still there.
    if (!(await deviceStillThere(p.mountPath, p.deviceDev))) return interrupted('during the scan');

    const model = config.devices.models.find((m) => m.name === dock?.model) ?? null;
    const reading = readClock({
      dockedAt: dock?.startedAt ?? clock.now(),
      clockFileTime: model?.clockFile ? parseClockFile((await firstLineOf(p.mountPath, [model.clockFile])) ?? '') : null,
      newestFileMtimeMs: files.reduce<number | null>((newest, f) => (newest === null || f.mtimeMs > newest ? f.mtimeMs : newest), null),
      thresholdMs: config.devices.clockDriftThresholdSec * 1000,
    });
    await docks.recordClock(p.sessionId, reading);
    if (reading.flagged) events.push(event('clock-drift', '', { driftMs: reading.driftMs, source: reading.source, thresholdSec: config.devices.clockDriftThresholdSec }));

    await catalog.addSessionFiles(p.sessionId, files);
    await catalog.addCustodyEvents(events);
    await moveSession(deps, p.sessionId, 'securing', null);
    const media = files.filter((f) => f.kind !== null && f.state === 'pending');
    const important = model ? importantFiles(files.map((f) => f.relPath), model.important) : new Set<string>();
    const secureJobs: SecureFilePayload[] = media.map((f) => ({
      sessionId: p.sessionId, deviceSerial: p.deviceSerial, mountPath: p.mountPath, deviceDev: p.deviceDev,
      relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs, kind: f.kind!, itemId: ulid(), important: important.has(f.relPath),
    }));
    await queues.addMany('secure-file', secureJobs);
    await settleSession(deps, p.sessionId);
    return { outcome: 'scanned', media: secureJobs.length, important: secureJobs.filter((j) => j.important).length, other: files.length - secureJobs.length };
  };
}
