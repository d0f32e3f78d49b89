import { InvalidArgumentError } from 'commander';
import { parseIsoTime } from '../domain/zoned-time.ts';

/**
 * Command-line times: with an offset (or Z) as written; without one, wall-clock time of the agency's zone
 * (config `timeZone`), which is what an operator at a dock means by "08:00". The zone is read from the
 * configuration only when a time needs it, so commands that take no time never load it here.
 */
let agencyZone: () => string = () => 'UTC';

export function useAgencyZone(zone: () => string): void {
  agencyZone = zone;
}

export function parseCliTime(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00` : value;
  const withOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text.trim());
  const parsed = parseIsoTime(text, withOffset ? 'UTC' : agencyZone());
  if (!parsed) throw new InvalidArgumentError(`"${value}" is not a date; use ISO 8601, e.g. 2026-05-01T08:00:00+08:00 (without an offset it is read in the agency's zone, config key timeZone)`);
  return parsed.at;
}

/** The --help footer naming the zone. */
export function agencyZoneHelp(context: { config(): { timeZone: string } }): string {
  let zone: string;
  try {
    zone = context.config().timeZone;
  } catch {
    zone = '(configuration not readable)';
  }
  return `\nTimes without an offset (e.g. --since 2026-05-01T08:00) are read in the agency's time zone: ${zone}\n(config key "timeZone", env EVIDOCK_TIME_ZONE).\n`;
}
