import { posix } from 'node:path';
import { axis } from './axis-recordings.ts';
import type { DeviceSays, ParserName, VendorParser } from './vendor-parser.ts';
import { formatOffset, type WallTime, zonedToUtc } from './zoned-time.ts';

export { parserNames } from './vendor-parser.ts';
export type { DeviceSays, ParseContext, ParserName, Sidecar, VendorParser } from './vendor-parser.ts';

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

/**
 * Chinese body-worn recorders (GA/T 947 style): `<deviceId>_<badge>_<YYYYMMDDHHMMSS>[_<seq>]`, the time
 * on the recorder's local clock. Vendors tell recordings apart by exactly these three.
 */
export const cnRecorder: VendorParser = {
  name: 'cn-recorder',
  sidecarPaths: () => [],
  parse(relPath, _sidecars, { deviceZone: zone }) {
    const m = /^([A-Za-z0-9-]+)_([A-Za-z0-9.-]+)_(\d{8})(\d{6})(?:_[A-Za-z0-9]+)?$/.exec(stem(relPath));
    if (!m) return null;
    return { parser: 'cn-recorder', deviceId: m[1]!, badge: m[2]!, ...localTime(wallFromDigits(m[3]!, m[4]!), zone), checklistRowId: null };
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
