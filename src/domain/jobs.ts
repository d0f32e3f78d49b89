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
  /** st_dev of the device root when docked: a different id (or none) there means the device left. Absent: not known. */
  deviceDev?: number | null;
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
  /** As in ScanDevicePayload. */
  deviceDev?: number | null;
  /** Marked important by the device (name flag or sidecar): secured before the others. */
  important?: boolean;
}

/** Deleting from a device the files whose stored copy was verified (models with wipe `after-verified`). */
export interface WipeDevicePayload {
  sessionId: string;
  deviceSerial: string;
  mountPath: string;
  deviceDev: number | null;
}

/** Media stages work on a secured item's stored original: the same payload for each stage. */
export interface MediaJobPayload {
  itemId: string;
  sha256: string;
}

/** The scheduled check of deadlines, failed jobs and this dock host's disks (issue 7). */
export interface CheckDeadlinesPayload {
  dockHost: string;
}

/** One alert message to the webhook: sent when the alert is raised (`firing`) and when it clears (`resolved`). */
export interface DeliverAlertPayload {
  alertId: string;
  status: 'firing' | 'resolved';
}

export interface JobPayloads {
  'scan-device': ScanDevicePayload;
  'secure-file': SecureFilePayload;
  'wipe-device': WipeDevicePayload;
  'media-probe': MediaJobPayload;
  'media-transcode': MediaJobPayload;
  'media-thumbnails': MediaJobPayload;
  'media-publish': MediaJobPayload;
  'check-deadlines': CheckDeadlinesPayload;
  'deliver-alert': DeliverAlertPayload;
}

export type JobName = keyof JobPayloads;
export const mediaJobNames = ['media-probe', 'media-transcode', 'media-thumbnails', 'media-publish'] as const satisfies readonly JobName[];
export type MediaJobName = (typeof mediaJobNames)[number];
export const jobNames = ['scan-device', 'secure-file', 'wipe-device', ...mediaJobNames, 'check-deadlines', 'deliver-alert'] as const satisfies readonly JobName[];

export const isMediaJob = (name: JobName): name is MediaJobName => (mediaJobNames as readonly string[]).includes(name);

/**
 * Scanning and securing read the device, so both run on the dock host it is plugged into; media stages
 * read the stored original and run on any worker of the installation (`media.queuePrefix`).
 */
export function queueFor(name: JobName, dockHost: string, mediaQueuePrefix = 'media'): string {
  if (isMediaJob(name)) return `${mediaQueuePrefix}-${name.slice('media-'.length)}`;
  // Each dock host checks its own disks, and delivers the alerts its checks raised.
  if (name === 'check-deadlines') return `checks-${dockHost}`;
  if (name === 'deliver-alert') return `alerts-${dockHost}`;
  // Wiping writes to the device: on its dock host, in its own queue so it never waits behind secure jobs.
  if (name === 'wipe-device') return `wipe-${dockHost}`;
  return name === 'scan-device' ? `scan-${dockHost}` : `secure-${dockHost}`;
}

const digest = (...parts: Array<string | number>) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

/** The identity of a file on a device: serial + path + size + mtime. */
export function deviceFileKey(f: Pick<SecureFilePayload, 'deviceSerial' | 'relPath' | 'size' | 'mtimeMs'>): string {
  return digest(f.deviceSerial, f.relPath, f.size, Math.trunc(f.mtimeMs));
}

export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  if (name === 'scan-device') return `scan-${(payload as ScanDevicePayload).sessionId}`;
  if (name === 'wipe-device') return `wipe-${(payload as WipeDevicePayload).sessionId}`;
  // Media work is keyed by content: the same bytes are one item, made once.
  if (isMediaJob(name)) return `${name}-${(payload as MediaJobPayload).sha256}`;
  if (name === 'check-deadlines') return `check-deadlines-${(payload as CheckDeadlinesPayload).dockHost}`;
  if (name === 'deliver-alert') return `deliver-alert-${(payload as DeliverAlertPayload).alertId}-${(payload as DeliverAlertPayload).status}`;
  const p = payload as SecureFilePayload;
  // The session is part of the id so that a re-dock gets its own accounting; the catalog's
  // device-file record keeps the second session from storing the file again.
  return `secure-${p.sessionId}-${deviceFileKey(p)}`;
}

/**
 * BullMQ priority (lower first; 0 = none, taken before any prioritized job): a file the device marks
 * important goes before the rest, and the rest keep their docking order among themselves.
 */
export function jobPriority<N extends JobName>(name: N, payload: JobPayloads[N]): number {
  return name === 'secure-file' && !(payload as SecureFilePayload).important ? 1 : 0;
}
