import type { DockJson } from '../app/contracts.ts';

const BAR_WIDTH = 30;

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

const stateLabel = (d: DockJson) => (d.safeToUndock ? 'SAFE TO UNDOCK' : d.state.toUpperCase());

/** Human view of `status`: one progress bar per docked device, then the queues. */
export function renderStatus(report: { docks: DockJson[]; queues: Record<string, Record<string, number>> }): string {
  const lines: string[] = [];
  lines.push(report.docks.length === 0 ? 'No devices docked.' : 'Docks:');
  for (const d of report.docks) {
    lines.push(
      `  ${d.deviceSerial.padEnd(20)} ${bar(d.filesSecured + d.filesFailed, d.filesTotal)} ${d.filesSecured}/${d.filesTotal} files  ${bytes(d.bytesSecured)}/${bytes(d.bytesTotal)}  ${stateLabel(d)}`,
    );
    if (d.reason) lines.push(`  ${''.padEnd(20)} ${d.reason}`);
  }
  lines.push('Queues:');
  for (const [name, counts] of Object.entries(report.queues)) {
    lines.push(`  ${name.padEnd(28)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
