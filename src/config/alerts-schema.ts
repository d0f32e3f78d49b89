import { z } from 'zod';

/**
 * Deadline checks and alerts (regulation B7: secured within 24 h; B8: case file within 30 days), and
 * where alerts go besides the log, `evidock status` and the API.
 */
export const alertsSchema = z.strictObject({
  /** How often each dock host runs the scheduled check (a BullMQ job scheduler per host). */
  checkIntervalMs: z.number().int().min(1000).default(5 * 60_000),
  /** B7: a recording must be secured within this many hours of its capture; later is flagged on the item as a breach. */
  secureWithinHours: z.number().min(1).default(24),
  /** A device assigned to an officer must be docked again within this many hours of its last dock or recording. */
  dockWithinHours: z.number().min(1).default(24),
  /** Case files due within this many days are alerted before they are overdue. */
  caseFileWarnDays: z.number().int().min(0).default(5),
  /** A failed job still failed after this many minutes is alerted (once per queue). */
  failedJobMinutes: z.number().int().min(1).default(30),
  /** Free space below either limit on a watched disk is alerted. */
  diskMinFreeBytes: z.number().int().min(0).default(10 * 1024 ** 3),
  diskMinFreePercent: z.number().min(0).max(100).default(5),
  /** Disks watched on each dock host besides the data folder (the spool), e.g. a separate media work disk. */
  diskPaths: z.array(z.string().min(1)).default([]),
  webhook: z.strictObject({
    /** Receives each alert raised and cleared as a JSON POST; null: log, status and API only. */
    url: z.string().url().nullable().default(null),
    /** Sent as `Authorization: Bearer <token>` when set (keep it in the environment: EVIDOCK_ALERTS_WEBHOOK_BEARER_TOKEN). */
    bearerToken: z.string().min(1).nullable().default(null),
    /** Deliveries are retried with exponential backoff (a BullMQ job), this many times in all. */
    attempts: z.number().int().min(1).default(10),
    backoffMs: z.number().int().min(10).default(5000),
    timeoutMs: z.number().int().min(100).default(10_000),
  }).prefault({}),
});
