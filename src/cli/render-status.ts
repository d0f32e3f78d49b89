import type { BayJson } from '../app/contracts.ts';
import { formatBytes as bytes } from './status-watch.ts';

const BAR_WIDTH = 30;

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}


function stateLabel(d: BayJson): string {
  if (d.safeToUndock) return 'SAFE TO UNDOCK';
  if (d.state === 'waiting' && d.queuePosition !== null) return `WAITING (#${d.queuePosition})`;
  if (d.state === 'wiping') return `WIPING (${d.wipe.filesDeleted} deleted)`;
  return d.state.toUpperCase();
}

/** Human view of `status`: one progress bar per bay (device), then the queues. */
export function renderStatus(report: { docks: BayJson[]; queues: Record<string, Record<string, number>> }): string {
  const lines: string[] = [];
  lines.push(report.docks.length === 0 ? 'No devices docked.' : 'Docks:');
  const indent = `  ${''.padEnd(20)} `;
  for (const d of report.docks) {
    const rate = d.bytesPerSecond === null ? '' : `  ${bytes(d.bytesPerSecond)}/s`;
    lines.push(
      `  ${d.deviceSerial.padEnd(20)} ${bar(d.filesSecured + d.filesFailed, d.filesTotal)} ${d.filesSecured}/${d.filesTotal} files  ${bytes(d.bytesSecured)}/${bytes(d.bytesTotal)}${rate}  ${stateLabel(d)}`,
    );
    lines.push(`${indent}bay ${d.bay}${d.model ? `  ${d.model}` : ''}${d.deviceStatus === 'pending' ? '  (not approved)' : ''}`);
    if (d.reason) lines.push(`${indent}${d.reason}`);
    if (d.clockDriftFlagged) lines.push(`${indent}device clock off by ${Math.round((d.clockDriftMs ?? 0) / 1000)} s (${d.clockDriftSource}): its items are flagged`);
    if (d.wipe.state === 'done') lines.push(`${indent}wiped: ${d.wipe.filesDeleted} files deleted from the device`);
    else if (d.wipe.reason) lines.push(`${indent}not wiped: ${d.wipe.reason}`);
  }
  lines.push('Queues:');
  for (const [name, counts] of Object.entries(report.queues)) {
    lines.push(`  ${name.padEnd(28)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
