import type { ChainedEntry } from '../../domain/audit-chain.ts';

/** One trail entry as exported: every field of the log entry, with its place and hashes in the chain. */
export function trailEntryJson(e: ChainedEntry) {
  return {
    seq: e.seq, at: e.at.toISOString(), kind: e.kind, type: e.type, actor: e.actor, itemId: e.itemId, sessionId: e.sessionId,
    deviceSerial: e.deviceSerial, filePath: e.filePath, details: e.details, prevHash: e.prevHash, hash: e.hash,
  };
}

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
