/**
 * Wall-clock times of a named zone (device clocks, CAD exports) turned into UTC instants with the offset
 * that applied, using the runtime's time-zone database (Intl).
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/** An instant with the offset its source was written in. */
export interface ZonedInstant {
  at: Date;
  offsetMinutes: number;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in minutes east of UTC. */
export function offsetMinutesAt(at: Date, zone: string): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

function wallAsUtcMs(w: WallTime): number | null {
  const ms = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond ?? 0);
  const d = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: a rolled-over value was not a real time.
  const real = d.getUTCFullYear() === w.year && d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day
    && d.getUTCHours() === w.hour && d.getUTCMinutes() === w.minute && d.getUTCSeconds() === w.second;
  return real ? ms : null;
}

/**
 * The instant a wall-clock time of `zone` names (a time skipped or repeated by a daylight-saving change
 * takes one of the two offsets around it). Null when the wall time is not a calendar time (Feb 30).
 */
export function zonedToUtc(wall: WallTime, zone: string): ZonedInstant | null {
  const local = wallAsUtcMs(wall);
  if (local === null) return null;
  const first = offsetMinutesAt(new Date(local), zone);
  let offset = offsetMinutesAt(new Date(local - first * 60_000), zone);
  if (offset !== first && offsetMinutesAt(new Date(local - offset * 60_000), zone) !== offset) offset = Math.max(first, offset);
  return { at: new Date(local - offset * 60_000), offsetMinutes: offset };
}

/** "+08:00" for 480. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 date-time. With an offset (or Z) that offset is used; without one, the time is read as
 * wall-clock time of `zone`. Null when it is not such a time.
 */
export function parseIsoTime(text: string, zone: string): ZonedInstant | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const wall: WallTime = {
    year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0),
    millisecond: frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0,
  };
  if (!off) return zonedToUtc(wall, zone);
  const local = wallAsUtcMs(wall);
  if (local === null) return null;
  let offset = 0;
  if (off.toUpperCase() !== 'Z') {
    const digits = off.slice(1).replace(':', '');
    offset = (off[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  return { at: new Date(local - offset * 60_000), offsetMinutes: offset };
}
