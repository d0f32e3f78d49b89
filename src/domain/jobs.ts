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

/** Where queues live: the dock host's own queues, and the installation's media queues. */
export interface QueuePlace {
  dockHost: string;
  /** `media.queuePrefix`: shared by every worker of the installation. */
  mediaQueuePrefix: string;
}

/** How long BullMQ keeps a job that ended, for the dashboard: the catalog, not Redis, is the record. */
export interface JobRetention {
  completedSec: number;
  completedCount: number;
  failedSec: number;
}

export interface JobOptions {
  /**
   * `configured`: the attempts and backoff of the job's configuration section; `once`: a failed run is
   * not retried (it stays visible, and the next scheduled run comes anyway).
   */
  retry: 'configured' | 'once';
  keep: JobRetention;
}

/** Everything the queue adapters need to know about one job name. */
export interface JobSpec<N extends JobName> {
  queue(place: QueuePlace): string;
  /** Derived from what the job works on: adding the same work twice is a no-op. BullMQ ids may not contain ':'. */
  id(payload: JobPayloads[N]): string;
  /** BullMQ priority: lower first; 0 = none, taken before any prioritized job. */
  priority(payload: JobPayloads[N]): number;
  options: JobOptions;
}

const digest = (...parts: Array<string | number>) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

/** The identity of a file on a device: serial + path + size + mtime. */
export function deviceFileKey(f: Pick<SecureFilePayload, 'deviceSerial' | 'relPath' | 'size' | 'mtimeMs'>): string {
  return digest(f.deviceSerial, f.relPath, f.size, Math.trunc(f.mtimeMs));
}

const kept: JobRetention = { completedSec: 24 * 3600, completedCount: 10000, failedSec: 30 * 24 * 3600 };
const retried: JobOptions = { retry: 'configured', keep: kept };
const unprioritized = () => 0;

/**
 * Scanning, securing and wiping touch the device, so they run on the dock host it is plugged into;
 * media stages read the stored original and run on any worker of the installation.
 */
const mediaSpec = <N extends MediaJobName>(name: N): JobSpec<N> => ({
  queue: (at) => `${at.mediaQueuePrefix}-${name.slice('media-'.length)}`,
  // Media work is keyed by content: the same bytes are one item, made once.
  id: (p) => `${name}-${p.sha256}`,
  priority: unprioritized,
  options: retried,
});

/** The job table: the compiler refuses a job name without its row. */
export const jobTable: { readonly [N in JobName]: JobSpec<N> } = {
  'scan-device': { queue: (at) => `scan-${at.dockHost}`, id: (p) => `scan-${p.sessionId}`, priority: unprioritized, options: retried },
  'secure-file': {
    queue: (at) => `secure-${at.dockHost}`,
    // The session is part of the id so that a re-dock gets its own accounting; the catalog's
    // device-file record keeps the second session from storing the file again.
    id: (p) => `secure-${p.sessionId}-${deviceFileKey(p)}`,
    // A file the device marks important goes before the rest; the rest keep their docking order.
    priority: (p) => (p.important ? 0 : 1),
    options: retried,
  },
  // Wiping writes to the device: in its own queue, so it never waits behind secure jobs.
  'wipe-device': { queue: (at) => `wipe-${at.dockHost}`, id: (p) => `wipe-${p.sessionId}`, priority: unprioritized, options: retried },
  'media-probe': mediaSpec('media-probe'),
  'media-transcode': mediaSpec('media-transcode'),
  'media-thumbnails': mediaSpec('media-thumbnails'),
  'media-publish': mediaSpec('media-publish'),
  // Each dock host checks its own disks, and delivers the alerts its checks raised.
  'check-deadlines': {
    queue: (at) => `checks-${at.dockHost}`,
    id: (p) => `check-deadlines-${p.dockHost}`,
    priority: unprioritized,
    options: { retry: 'once', keep: { completedSec: 3600, completedCount: 100, failedSec: 7 * 24 * 3600 } },
  },
  'deliver-alert': { queue: (at) => `alerts-${at.dockHost}`, id: (p) => `deliver-alert-${p.alertId}-${p.status}`, priority: unprioritized, options: retried },
};

export const mediaJobNames = ['media-probe', 'media-transcode', 'media-thumbnails', 'media-publish'] as const satisfies readonly JobName[];
export type MediaJobName = (typeof mediaJobNames)[number];
/** Every job name, in the table's order. */
export const jobNames = Object.keys(jobTable) as JobName[];

export const isMediaJob = (name: JobName): name is MediaJobName => (mediaJobNames as readonly string[]).includes(name);

export function queueFor(name: JobName, dockHost: string, mediaQueuePrefix = 'media'): string {
  return jobTable[name].queue({ dockHost, mediaQueuePrefix });
}

export function jobId<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  return jobTable[name].id(payload);
}

export function jobPriority<N extends JobName>(name: N, payload: JobPayloads[N]): number {
  return jobTable[name].priority(payload);
}
