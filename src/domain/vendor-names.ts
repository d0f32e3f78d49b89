import { posix } from 'node:path';
import { formatOffset, type WallTime, zonedToUtc } from './zoned-time.ts';

/**
 * What a recorder says about a recording through its file naming and sidecar files. One parser per
 * naming convention; which parsers apply is chosen per device model in config (tagging.parsers).
 */
export const parserNames = ['cn-recorder', 'axis'] as const;
export type ParserName = (typeof parserNames)[number];

export interface DeviceSays {
  parser: ParserName;
  deviceId: string | null;
  badge: string | null;
  /** The capture time the device names, in UTC, with the offset of the clock that wrote it. */
  capturedAt: Date | null;
  capturedLocal: string | null;
  utcOffsetMinutes: number | null;
  /** A checklist row id the device was told (e.g. an Axis category set up with the row ids). */
  checklistRowId: string | null;
}

/** A sidecar file read from the device next to a recording: its JSON, or why it could not be used. */
export interface Sidecar {
  path: string;
  content: unknown;
  error: string | null;
}

export interface VendorParser {
  name: ParserName;
  /** Sidecar files worth reading for this recording, relative to the device root, in order. */
  sidecarPaths(relPath: string): string[];
  parse(relPath: string, sidecar: Sidecar | null, deviceZone: string): DeviceSays | null;
}

const stem = (relPath: string) => posix.basename(relPath, posix.extname(relPath));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function wallFromDigits(date: string, time: string): WallTime {
  return {
    year: Number(date.slice(0, 4)), month: Number(date.slice(4, 6)), day: Number(date.slice(6, 8)),
    hour: Number(time.slice(0, 2)), minute: Number(time.slice(2, 4)), second: Number(time.slice(4, 6)),
  };
}

const wallText = (w: WallTime) => `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;

/** A device-clock time in the device's zone: kept as written, and as UTC with its offset. */
function localTime(w: WallTime, zone: string): Pick<DeviceSays, 'capturedAt' | 'capturedLocal' | 'utcOffsetMinutes'> {
  const instant = zonedToUtc(w, zone);
  return instant
    ? { capturedAt: instant.at, capturedLocal: `${wallText(w)}${formatOffset(instant.offsetMinutes)}`, utcOffsetMinutes: instant.offsetMinutes }
    : { capturedAt: null, capturedLocal: wallText(w), utcOffsetMinutes: null };
}

/** A UTC time (epoch seconds or ms, or YYYYMMDD_HHMMSS) as Axis writes them. */
function utcTime(text: string): Pick<DeviceSays, 'capturedAt' | 'capturedLocal' | 'utcOffsetMinutes'> | null {
  let at: Date | null = null;
  if (/^\d{10}$/.test(text)) at = new Date(Number(text) * 1000);
  else if (/^\d{13}$/.test(text)) at = new Date(Number(text));
  else {
    const m = /^(\d{8})[_T](\d{6})Z?$/.exec(text);
    const instant = m ? zonedToUtc(wallFromDigits(m[1]!, m[2]!), 'UTC') : null;
    at = instant?.at ?? null;
  }
  return at && !Number.isNaN(at.getTime()) ? { capturedAt: at, capturedLocal: text, utcOffsetMinutes: 0 } : null;
}

/**
 * Chinese body-worn recorders (GA/T 947 style): `<deviceId>_<badge>_<YYYYMMDDHHMMSS>[_<seq>]`, the time
 * on the recorder's local clock. Vendors tell recordings apart by exactly these three.
 */
export const cnRecorder: VendorParser = {
  name: 'cn-recorder',
  sidecarPaths: () => [],
  parse(relPath, _sidecar, zone) {
    const m = /^([A-Za-z0-9-]+)_([A-Za-z0-9.-]+)_(\d{8})(\d{6})(?:_[A-Za-z0-9]+)?$/.exec(stem(relPath));
    if (!m) return null;
    return { parser: 'cn-recorder', deviceId: m[1]!, badge: m[2]!, ...localTime(wallFromDigits(m[3]!, m[4]!), zone), checklistRowId: null };
  },
};

const AXIS_FOLDER = /^([^_/]+)_([^_/]+)_(\d{10}|\d{13}|\d{8}[_T]\d{6}Z?)$/;
const AXIS_CLIP = /^(\d{10}|\d{13}|\d{8}_\d{6})_[A-Za-z0-9]+$/;

const text = (record: Record<string, unknown>, key: string): string | null => {
  const value = record[key];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
};

/**
 * Axis body-worn recordings exported to a folder: `<UserID>_<BWCSerialNumber>_<TriggerOnTime>/` holding
 * clips `<StartTime>_<RecordingID>.mkv` and the recording's metadata JSON. Axis times are UTC.
 */
export const axis: VendorParser = {
  name: 'axis',
  sidecarPaths(relPath) {
    const folder = posix.dirname(relPath);
    return AXIS_FOLDER.test(posix.basename(folder)) ? [posix.join(folder, 'metadata.json'), posix.join(folder, `${posix.basename(folder)}.json`)] : [];
  },
  parse(relPath, sidecar) {
    const folder = AXIS_FOLDER.exec(posix.basename(posix.dirname(relPath)));
    if (!folder) return null;
    const meta = sidecar && !sidecar.error && typeof sidecar.content === 'object' && sidecar.content !== null ? (sidecar.content as Record<string, unknown>) : {};
    const clip = AXIS_CLIP.exec(stem(relPath));
    const triggerIso = text(meta, 'TriggerOnTimeISO');
    const triggerFromMeta = triggerIso && !Number.isNaN(Date.parse(triggerIso)) ? { capturedAt: new Date(triggerIso), capturedLocal: triggerIso, utcOffsetMinutes: 0 } : null;
    const time = (clip && utcTime(clip[1]!)) || triggerFromMeta || utcTime(folder[3]!) || { capturedAt: null, capturedLocal: null, utcOffsetMinutes: null };
    return {
      parser: 'axis',
      deviceId: text(meta, 'BWCSerialNumber') ?? folder[2]!,
      badge: text(meta, 'UserID') ?? folder[1]!,
      ...time,
      checklistRowId: text(meta, 'CategoryID'),
    };
  },
};

const parsers: Record<ParserName, VendorParser> = { 'cn-recorder': cnRecorder, axis };

export interface ParserSettings {
  /** Device model → parsers to try, in order. */
  parsers: Record<string, ParserName[]>;
  /** For devices whose model is not listed (or not known). */
  defaultParsers: ParserName[];
}

export function parsersFor(model: string | null, settings: ParserSettings): VendorParser[] {
  const names = (model !== null ? settings.parsers[model] : undefined) ?? settings.defaultParsers;
  return names.map((n) => parsers[n]);
}
