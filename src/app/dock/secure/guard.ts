import { lstat } from 'node:fs/promises';
import { isEnded, type SessionState } from '../../../domain/dock-session.ts';
import { PermanentError } from '../../../domain/errors.ts';
import type { SecureFilePayload } from '../../../domain/jobs.ts';
import type { SessionFile } from '../../../ports/catalog.ts';
import type { DockDeps } from '../deps.ts';

export interface DeviceFileStat {
  size: number;
  mtimeMs: number;
}

/** What a secure job does with its file: secure it, finish what an earlier attempt recorded, or nothing. */
export type SecureStep =
  | { step: 'secure' }
  | { step: 'already-recorded'; file: SessionFile }
  | { step: 'session-ended'; state: SessionState };

/**
 * Load and guard. A file with an outcome was handled by an earlier attempt, which may have failed after
 * recording it (before its lock, tags or the session's settling): the job finishes that work rather than
 * trusting it was done. A session that ended (its device left) leaves a pending file to the next dock,
 * even if the same device is back.
 */
export async function guardSecure(deps: Pick<DockDeps, 'catalog' | 'docks'>, p: SecureFilePayload): Promise<SecureStep> {
  const file = await deps.catalog.sessionFile(p.sessionId, p.relPath);
  if (!file) throw new PermanentError(`session ${p.sessionId} has no file ${p.relPath}`, 'unknown-session-file');
  if (file.state !== 'pending') return { step: 'already-recorded', file };
  const session = await deps.docks.dockDetails(p.sessionId);
  if (session && isEnded(session.state)) return { step: 'session-ended', state: session.state };
  return { step: 'secure' };
}

/** Size and mtime of a file on the device; a file gone or no longer regular is a permanent failure. */
export async function statOnDevice(path: string): Promise<DeviceFileStat> {
  try {
    const st = await lstat(path);
    if (!st.isFile()) throw new PermanentError(`${path} is no longer a regular file`, 'not-a-file');
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PermanentError(`${path} vanished from the device before it was secured; dock the device again to secure it`, 'file-vanished');
    }
    throw error;
  }
}
