import { createHash } from 'node:crypto';
import type { MediaKind } from '../config/schema.ts';

/**
 * The job vocabulary: every job name, its payload and its queue, in one place.
 * Job ids are derived from what the job works on, so adding the same work twice is a no-op
 * and a crash followed by a rescan never queues a file twice (BullMQ ids may not contain ':').
 */
export interface ScanDevicePayload {
  sessionId: string;
  deviceSerial: string;
  mountPath: string;
}

export interface SecureFilePayload {
  sessionId: string;
  deviceSerial: string;
  mountPath: string;
  /** Path inside the device, with '/' separators. */
  relPath: string;
  size: number;
  mtimeMs: number;
  kind: MediaKind;
  /** Chosen when the file was found, so every retry writes the same object keys. */
  itemId: string;
}

export interface JobPayloads {
  'scan-device': ScanDevicePayload;
  'secure-file': SecureFilePayload;
}

export type JobName = keyof JobPayloads;
export const jobNames = ['scan-device', 'secure-file'] as const satisfies readonly JobName[];

/** Both stages read the device, so both run on the dock host it is plugged into. */
export function queueFor(name: JobName, dockHost: string): string {
  return name === 'scan-device' ? `scan-${dockHost}` : `secure-${dockHost}`;
}

const digest = (...parts: Array<string | number>) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

/** The identity of a file on a device: serial + path + size + mtime. */
export function deviceFileKey(f: Pick<SecureFilePayload, 'deviceSerial' | 'relPath' | 'size' | 'mtimeMs'>): string {
  return digest(f.deviceSerial, f.relPath, f.size, Math.trunc(f.mtimeMs));
}

export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  if (name === 'scan-device') return `scan-${payload.sessionId}`;
  const p = payload as SecureFilePayload;
  // The session is part of the id so that a re-dock gets its own accounting; the catalog's
  // device-file record keeps the second session from storing the file again.
  return `secure-${p.sessionId}-${deviceFileKey(p)}`;
}
