import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * The one configuration schema. Every key can come from `config/evidock.json`
 * or from an environment variable named after its path (see `envName`).
 * A service whose `url` is null is started by evidock itself on loopback.
 */
const port = z.number().int().min(1).max(65535);
const extensions = z.array(z.string().regex(/^\.[a-z0-9]+$/, 'a lower-case extension with its dot, like ".mp4"'));

export const configSchema = z.strictObject({
  /** Where embedded services keep their data and generated secrets. */
  dataDir: z.string().min(1).default('./var'),
  /** Name of this dock host: the actor of custody events and the secure queue's suffix. */
  dockHost: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').default(hostname().replace(/[^A-Za-z0-9._-]/g, '-')),
  /** Roles this process runs; one process runs all by default. */
  roles: z.array(z.enum(['dock', 'worker'])).min(1).default(['dock', 'worker']),
  /** How long each service (embedded or configured) may take to answer at start before evidock gives up, naming it. */
  readyTimeoutMs: z.number().int().min(100).default(60000),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).default({ level: 'info' }),
  dock: z.strictObject({
    /** Folders watched as docks: each folder that appears directly inside one is a device. Empty: `<dataDir>/dock`. */
    paths: z.array(z.string().min(1)).default([]),
    /** A new device folder must stay unchanged this long before it is scanned (copying in progress). */
    settleMs: z.number().int().min(0).default(1500),
    /** Files at the device root that hold its serial, tried in order before the volume label. */
    idFiles: z.array(z.string().min(1)).default(['DEVICE_ID.txt', 'device-id.txt', 'SERIAL.txt', '.evidock-id']),
    media: z.strictObject({
      video: extensions.default(['.mp4', '.mov', '.avi', '.mkv', '.mts', '.m2ts', '.3gp', '.ts', '.wmv']),
      photo: extensions.default(['.jpg', '.jpeg', '.png', '.heic', '.heif', '.dng', '.tif', '.tiff', '.bmp']),
      audio: extensions.default(['.wav', '.mp3', '.m4a', '.aac', '.amr', '.ogg', '.opus', '.flac', '.wma']),
    }).prefault({}),
  }).prefault({}),
  secure: z.strictObject({
    /** Files secured at once on this dock host. */
    concurrency: z.number().int().min(1).max(64).default(2),
    attempts: z.number().int().min(1).default(8),
    backoffMs: z.number().int().min(10).default(2000),
    /** Must outlast the longest single file; BullMQ renews it every half period. */
    lockDurationMs: z.number().int().min(5000).default(120000),
  }).prefault({}),
  shutdown: z.strictObject({
    /** Running jobs get this long to finish on stop; then they are released for a later run. */
    graceMs: z.number().int().min(0).default(20000),
  }).prefault({}),
  redis: z.strictObject({
    url: z.string().url().nullable().default(null),
    port: port.default(16379),
  }).prefault({}),
  postgres: z.strictObject({
    url: z.string().url().nullable().default(null),
    port: port.default(15432),
  }).prefault({}),
  minio: z.strictObject({
    /** e.g. http://minio.example:9000; null starts the embedded server. */
    url: z.string().url().nullable().default(null),
    accessKey: z.string().min(3).nullable().default(null),
    secretKey: z.string().min(8).nullable().default(null),
    port: port.default(19000),
    consolePort: port.default(19001),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').default('evidence'),
    region: z.string().default('us-east-1'),
    /** Path to the minio binary for the embedded server; looked up on PATH and in ~/go/bin when null. */
    binary: z.string().nullable().default(null),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type MediaKind = keyof Config['dock']['media'];
