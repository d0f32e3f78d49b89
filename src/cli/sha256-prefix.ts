import { InvalidArgumentError } from 'commander';
import { UsageError } from './exit-codes.ts';

/** `--sha256`: a whole SHA-256 or a prefix of at least 6 hex digits (as printed by `evidock query`: 12), lower-cased. */
export function sha256Prefix(value: string): string {
  const hex = value.trim().toLowerCase();
  if (!/^[0-9a-f]{6,64}$/.test(hex)) throw new InvalidArgumentError(`"${value}" is not a SHA-256 or a prefix of one: 6 to 64 hex digits (0-9, a-f)`);
  return hex;
}

/** A prefix must name one file: items with several different hashes under it are refused, asking for more digits. */
export function checkUniquePrefix(prefix: string | undefined, hashes: Iterable<string>): void {
  const distinct = new Set(hashes);
  if (prefix !== undefined && distinct.size > 1) throw new UsageError(`--sha256 ${prefix} matches ${distinct.size} different files; give more digits`);
}
