import { type ChainedEntry, entryJson } from '../../domain/audit-chain.ts';

/** One trail entry as exported: every field of the log entry, with its place and hashes in the chain. */
export const trailEntryJson = entryJson;

const CSV_COLUMNS = ['seq', 'at', 'kind', 'type', 'actor', 'itemId', 'sessionId', 'deviceSerial', 'filePath', 'details', 'prevHash', 'hash'] as const;

/** RFC 4180: quoted when a value holds a comma, quote or line break; details as JSON. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function trailCsv(entries: ChainedEntry[]): string {
  const rows = entries.map((e) => {
    const json = trailEntryJson(e);
    return CSV_COLUMNS.map((c) => csvField(json[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
