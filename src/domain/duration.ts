const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30d`, `12h`, `90m`, `2w` → milliseconds; anything else is refused with the accepted forms. */
export function parseDuration(raw: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(raw.trim());
  const n = match ? Number(match[1]) : 0;
  if (!match || n < 1) throw new Error(`"${raw}" is not a duration; use a whole number and a unit: 90m, 12h, 30d or 2w`);
  return n * units[match[2]!]!;
}
