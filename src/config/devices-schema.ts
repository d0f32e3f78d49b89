import { z } from 'zod';

/**
 * The `devices` section of the configuration: which mounted storage and USB devices are recorders,
 * how each model is treated (wipe, important files, clock), and how many devices a dock host takes at once.
 */
const pattern = z.string().min(1).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'a regular expression (JavaScript syntax)');

export const deviceTypes = ['body-camera', 'camera', 'audio-recorder', 'video-camera'] as const;

const modelSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(deviceTypes),
  /** USB vendor:product ids, hex, e.g. "2a3b:0101". */
  usb: z.array(z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/, 'VID:PID in hex, like "2a3b:0101"')).default([]),
  /** Matched against the volume label (case-insensitive). */
  labelPattern: pattern.nullable().default(null),
  /** Paths at the device root that, all present, mark this model. */
  markerFiles: z.array(z.string().min(1)).default([]),
  /** `after-verified`: delete from the device the files whose stored copy was verified. */
  wipe: z.enum(['never', 'after-verified']).default('never'),
  /** Files the device marks important are secured first: by name, or by a sidecar file with the same stem. */
  important: z.strictObject({
    namePattern: pattern.nullable().default(null),
    sidecarExtensions: z.array(z.string().regex(/^\.[A-Za-z0-9]+$/, 'an extension with its dot, like ".lck"')).default([]),
  }).prefault({}),
  /** A file at the device root holding the device's clock at dock (ISO 8601 with offset, or Unix seconds). */
  clockFile: z.string().min(1).nullable().default(null),
});

export const devicesSchema = z.strictObject({
  /** Where removable storage is mounted; a new mount at most two levels below one is a candidate device. */
  mountRoots: z.array(z.string().min(1)).default(['/media', '/run/media', '/mnt']),
  /** File systems of removable storage; other mounts (the system disk, tmpfs, overlays) are never looked at. */
  fsTypes: z.array(z.string().min(1)).default(['vfat', 'msdos', 'exfat', 'fuseblk', 'fuse.fusefat', 'fuse.exfat', 'ntfs', 'ntfs3', 'udf', 'hfsplus']),
  /** How often the mount table is read (a watcher on the mount roots also triggers a read at once). */
  pollMs: z.number().int().min(100).default(1000),
  /** USB attach/detach events (ignored with a log line on a host without a USB bus). */
  usb: z.boolean().default(true),
  models: z.array(modelSchema).default([]),
  /** Root folders that make unknown storage look like a recorder (with an id file from dock.idFiles). */
  recorderLayout: z.array(z.string().min(1)).default(['DCIM', 'PRIVATE/AVCHD', 'PRIVATE/M4ROOT', 'RECORDER', 'REC_FILE', 'VOICE']),
  /** A recorder of no configured model, not approved yet: `hold` until `evidock devices approve`, or `ingest`. */
  pendingPolicy: z.enum(['hold', 'ingest']).default('hold'),
  /** Devices scanned and secured at once on this dock host; the rest wait in docking order. */
  maxConcurrent: z.number().int().min(1).max(64).default(4),
  /** A device clock off by more than this is flagged on the session and its items. */
  clockDriftThresholdSec: z.number().int().min(1).default(300),
});

export type DevicesConfig = z.infer<typeof devicesSchema>;
export type DeviceModel = DevicesConfig['models'][number];
export type DeviceType = (typeof deviceTypes)[number];
