import { hostname } from 'node:os';
import { z } from 'zod';
import { retentionClasses } from '../domain/checklist.ts';
import { isTimeZone } from '../domain/zoned-time.ts';
import { alertsSchema } from './alerts-schema.ts';
import { devicesSchema } from './devices-schema.ts';
import { taggingSchema } from './tagging-schema.ts';

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
  roles: z.array(z.enum(['dock', 'worker', 'api'])).min(1).default(['dock', 'worker', 'api']),
  api: z.strictObject({
    /** Loopback by default: put a TLS-terminating proxy in front to serve other hosts. */
    host: z.string().default('127.0.0.1'),
    /** 0 picks a free port (tests); the address is logged at start. */
    port: z.number().int().min(0).max(65535).default(8640),
    /** Trust X-Forwarded-For/-Proto from the proxy in front (the audited client address comes from it). */
    trustProxy: z.boolean().default(false),
    /** Web login session length (the session cookie's lifetime). */
    sessionTtlMinutes: z.number().int().min(5).max(7 * 24 * 60).default(10 * 60),
    /** Mark the session cookie Secure (sent over HTTPS only): set it when a TLS proxy is in front. */
    secureCookie: z.boolean().default(false),
    /** Lifetime of an API token when `tokens create` gives no --expires-in. */
    tokenDays: z.number().int().min(1).max(3650).default(90),
    /** Presigned playback URLs (proxy, thumbnails) and export links live this long. */
    playbackUrlSeconds: z.number().int().min(10).max(3600).default(300),
    exportLinkHours: z.number().int().min(1).max(24 * 30).default(72),
    /** Search page size when none is asked for, and the most a page may hold (larger requests are clamped). */
    pageSize: z.number().int().min(1).default(50),
    maxPageSize: z.number().int().min(1).default(500),
    /**
     * Login throttling, per badge and per client address: after `loginFreeFailures` failures in a row, each
     * further attempt waits `loginDelayMs`, doubling per failure up to `loginMaxDelayMs` (refused with 429).
     */
    loginFreeFailures: z.number().int().min(1).max(100).default(5),
    loginDelayMs: z.number().int().min(1).default(1000),
    loginMaxDelayMs: z.number().int().min(1).default(15 * 60_000),
  }).prefault({}),
  /** The agency's time zone (IANA): command-line times written without an offset (`--since 2026-05-01T08:00`) are read in it. */
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone, like "Asia/Shanghai"').default('Asia/Shanghai'),
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
  /** Device detection (mounts, USB), recorder models, approval, bays: see devices-schema.ts. */
  devices: devicesSchema.prefault({}),
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
    /** After the grace time, closing queues, connections and embedded servers may take this long; then the process exits regardless. */
    closeMs: z.number().int().min(1000).default(45000),
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
  /** Media pipeline (worker role): probe, proxies, posters, thumbnails, waveforms; see src/app/media/. */
  media: z.strictObject({
    /** Media queues are `<queuePrefix>-probe`, `-transcode`, `-thumbnails`, `-publish`, shared by every worker of one installation. */
    queuePrefix: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').default('media'),
    /** Jobs at once per stage on this worker. ffmpeg's encoder uses every core, so one transcode per 2 cores. */
    concurrency: z.strictObject({
      probe: z.number().int().min(1).max(64).default(2),
      transcode: z.number().int().min(1).max(64).default(1),
      thumbnails: z.number().int().min(1).max(64).default(1),
      publish: z.number().int().min(1).max(64).default(2),
    }).prefault({}),
    /**
     * On a host that also docks, media jobs wait while a device is being scanned or secured, so officers
     * never wait for proxies (running media jobs finish; new ones start when no device is securing).
     */
    yieldToDocking: z.boolean().default(true),
    /** Encoder threads per ffmpeg run; 0 lets ffmpeg choose from the core count. */
    ffmpegThreads: z.number().int().min(0).max(64).default(0),
    attempts: z.number().int().min(1).default(4),
    backoffMs: z.number().int().min(10).default(5000),
    /** BullMQ job lock, renewed while a job runs: a worker that dies gives its jobs back after about this long. */
    lockDurationMs: z.number().int().min(1000).default(60000),
    probeTimeoutMs: z.number().int().min(100).default(30000),
    /** An ffmpeg run may take this many times the media's duration (at least `minTimeoutMs`) before it is killed and retried. */
    timeoutPerMediaSecond: z.number().min(0.1).default(10),
    minTimeoutMs: z.number().int().min(1000).default(120000),
    /** Video proxies are H.264/AAC MP4 at most this many lines (the short side, for portrait video). */
    proxyHeight: z.number().int().min(144).max(2160).default(720),
    /** x264 constant rate factor and preset of the proxy. */
    proxyCrf: z.number().int().min(0).max(51).default(23),
    proxyPreset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']).default('veryfast'),
    /** Longest side of a photo's display JPEG. */
    photoMaxSize: z.number().int().min(64).max(16384).default(2048),
    /** Width of thumbnails (WebP). */
    thumbnailWidth: z.number().int().min(32).max(1920).default(320),
    /** Frames in a video's scrubbing strip, and the width of each. */
    stripFrames: z.number().int().min(1).max(100).default(10),
    stripFrameWidth: z.number().int().min(32).max(640).default(160),
    /** A proxy whose duration differs from the original's by more than this is not published. */
    durationToleranceSec: z.number().min(0).default(1),
    /** Local copies of originals and work files; relative to `dataDir`; null: `<dataDir>/media`. */
    workDir: z.string().nullable().default(null),
  }).prefault({}),
  /** Object-lock retention of originals, manifests, case-file manifests and audit seals. */
  retention: z.strictObject({
    /** COMPLIANCE: nobody, root included, can shorten or remove a lock. GOVERNANCE: a user with the bypass permission can. */
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
    /** Days each class (the checklist rows' `retentionClass`) keeps an object locked, counted from when it was secured. */
    classes: z.strictObject({
      standard: z.number().int().min(1).default(3 * 365),
      long: z.number().int().min(1).default(10 * 365),
      permanent: z.number().int().min(1).default(100 * 365),
    }).prefault({}),
    /** Class of an item whose tags name no checklist row (untagged). */
    defaultClass: z.enum(retentionClasses).default('standard'),
  }).prefault({}),
  tagging: taggingSchema.prefault({}),
  /** The web page: its language until a person picks another (kept in their browser), and the zone its times are shown in. */
  ui: z.strictObject({
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone, like "Asia/Shanghai"').default('Asia/Shanghai'),
  }).prefault({}),
  /** Deadline checks (24 h, 30 days), failed jobs, disk space, and the alert webhook: see alerts-schema.ts. */
  alerts: alertsSchema.prefault({}),
  audit: z.strictObject({
    /** How often the audit chain head is sealed into MinIO (also at every stop), when it moved. */
    sealIntervalMs: z.number().int().min(1000).default(10 * 60_000),
    /** Lock mode of seals, whatever retention.mode says for evidence: a seal must outlive any insider. */
    sealLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('COMPLIANCE'),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type MediaKind = keyof Config['dock']['media'];
