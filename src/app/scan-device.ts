import { existsSync } from 'node:fs';
import { ulid } from 'ulid';
import type { CustodyEvent } from '../domain/custody.ts';
import type { ScanDevicePayload, SecureFilePayload } from '../domain/jobs.ts';
import { mediaKindOf } from '../domain/media.ts';
import type { SessionFile } from '../ports/catalog.ts';
import type { JobContext, Processor } from '../ports/jobs.ts';
import type { AppDeps } from './deps.ts';
import { walkDevice } from './device-walk.ts';
import { settleSession } from './session.ts';

const PROGRESS_EVERY = 500;

/**
 * Lists a docked device, records every file it holds on the session (media to secure, the rest
 * with the reason it is not), and queues one secure job per media file.
 */
export function scanDeviceProcessor(deps: AppDeps): Processor<'scan-device'> {
  const { catalog, clock, config, queues } = deps;
  return async (p: ScanDevicePayload, ctx: JobContext) => {
    const files: Array<Omit<SessionFile, 'itemId'>> = [];
    const events: CustodyEvent[] = [];
    const event = (type: CustodyEvent['type'], filePath: string, details: Record<string, unknown>): CustodyEvent => ({
      type, at: clock.now(), actor: config.dockHost, itemId: null, sessionId: p.sessionId, deviceSerial: p.deviceSerial, filePath, details,
    });

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
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'EIO' || code === 'ENOTCONN') && !existsSync(p.mountPath)) {
        const reason = `device removed during the scan (${files.length} files listed); dock it again to secure its files`;
        await catalog.setSessionState(p.sessionId, 'interrupted', reason, clock.now());
        await catalog.addCustodyEvents([event('session-interrupted', '', { reason })]);
        return { outcome: 'interrupted', filesListed: files.length };
      }
      throw error;
    }

    await catalog.addSessionFiles(p.sessionId, files);
    await catalog.addCustodyEvents(events);
    await catalog.setSessionState(p.sessionId, 'securing', null, clock.now());
    const secureJobs: SecureFilePayload[] = files
      .filter((f) => f.kind !== null && f.state === 'pending')
      .map((f) => ({
        sessionId: p.sessionId, deviceSerial: p.deviceSerial, mountPath: p.mountPath,
        relPath: f.relPath, size: f.size, mtimeMs: f.mtimeMs, kind: f.kind!, itemId: ulid(),
      }));
    await queues.addMany('secure-file', secureJobs);
    await settleSession(catalog, clock, p.sessionId);
    return { outcome: 'scanned', media: secureJobs.length, other: files.length - secureJobs.length };
  };
}
