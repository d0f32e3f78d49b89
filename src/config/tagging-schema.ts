import { z } from 'zod';
import { parserNames } from '../domain/vendor-names.ts';
import { isTimeZone } from '../domain/zoned-time.ts';

const zone = z.string().refine(isTimeZone, 'an IANA time zone, like "Asia/Shanghai"');

/** The `tagging` section: the checklist, device clocks, matching windows, and file-name parsers per device model. */
export const taggingSchema = z.strictObject({
  /** The recording checklist (JSON); null: the one shipped in config/checklist.json. */
  checklist: z.string().min(1).nullable().default(null),
  /** Zone of device clocks: vendor file names carry local time. */
  deviceTimeZone: zone.default('Asia/Shanghai'),
  /** Zone of activity times written without an offset. */
  activityTimeZone: zone.default('Asia/Shanghai'),
  /** A recording this close before or after an activity window still falls into it. */
  bufferMs: z.number().int().min(0).default(5 * 60_000),
  /** An imported activity window longer than this is refused. */
  maxActivityMs: z.number().int().min(60_000).default(12 * 3_600_000),
  /** Device model (as registered) → file-name parsers to try, in order. */
  parsers: z.record(z.string().min(1), z.array(z.enum(parserNames))).default({}),
  /** Parsers for devices whose model is not listed. */
  defaultParsers: z.array(z.enum(parserNames)).default(['cn-recorder', 'axis']),
  /** Axis bookmark category id (as set up in Axis's Categories.json) → checklist row id; checked against the checklist at start. */
  axisCategories: z.record(z.string().min(1), z.string().min(1)).default({}),
});

export type TaggingConfig = z.infer<typeof taggingSchema>;
