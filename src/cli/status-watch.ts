import cliProgress from 'cli-progress';
import type { AlertJson } from '../app/admin/contracts.ts';
import type { DockJson } from '../app/contracts.ts';

/** What `evidock status` shows: bays, queue counts, active alerts (the `--json` contract, docs/cli-json.md). */
export interface StatusReport<D extends DockJson = DockJson> {
  docks: D[];
  queues: Record<string, Record<string, number>>;
  alerts: AlertJson[];
}

/** One line of the live view: a bay's progress bar, or a line of text. */
export type ViewRow =
  | { key: string; kind: 'bar'; label: string; value: number; total: number; text: string }
  | { key: string; kind: 'text'; text: string };

/** The view fits a classic 80-column terminal: every row is cut to this (or the terminal's width if smaller). */
export const VIEW_COLUMNS = 80;
const BAR_WIDTH = 16;
const SERIAL_WIDTH = 16;

/** A bay's label; a device whose mount is gone from this host after it was safe is shown as undocked. */
function stateOf(d: DockJson, departed: boolean): string {
  if (d.safeToUndock) return departed ? 'UNDOCKED' : 'SAFE TO UNDOCK';
  return d.state.toUpperCase();
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** Bytes secured of total, the rate since docking and, while securing, the time left at that rate. */
export function transferText(d: DockJson, now: Date): string {
  const elapsed = ((d.endedAt ? Date.parse(d.endedAt) : now.getTime()) - Date.parse(d.startedAt)) / 1000;
  const rate = d.bytesSecured > 0 && elapsed > 0 ? d.bytesSecured / elapsed : null;
  const parts = [`${formatBytes(d.bytesSecured)} / ${formatBytes(d.bytesTotal)}`];
  if (rate !== null) parts.push(`${formatBytes(rate)}/s`);
  if (rate !== null && d.endedAt === null && d.bytesTotal > d.bytesSecured) parts.push(`ETA ${formatSeconds((d.bytesTotal - d.bytesSecured) / rate)}`);
  return parts.join('  ');
}

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Alerts as text lines, most severe first (also under the plain `status`). */
export function alertLines(alerts: AlertJson[]): string[] {
  if (alerts.length === 0) return ['Alerts: none'];
  const sorted = [...alerts].sort((a, b) => (a.severity === b.severity ? a.raisedAt.localeCompare(b.raisedAt) : a.severity === 'critical' ? -1 : 1));
  return ['Alerts:', ...sorted.map((a) => `  ${a.severity === 'critical' ? 'CRITICAL' : 'warning '} ${a.message} (since ${a.raisedAt})`)];
}

export interface ViewOptions {
  now?: Date;
  /** True for a bay whose device is known to have left (its mount is gone from this host). */
  departed?: (d: DockJson) => boolean;
}

/** The rows of the live view, in order: two rows per bay (bar, then bytes/rate/ETA), then the queues, then the alerts. */
export function viewRows(report: StatusReport, options: ViewOptions = {}): ViewRow[] {
  const now = options.now ?? new Date();
  const rows: ViewRow[] = [];
  rows.push({ key: 'docks', kind: 'text', text: report.docks.length === 0 ? 'No devices docked.' : 'Bays:' });
  for (const d of report.docks) {
    const failed = d.filesFailed > 0 ? ` ${d.filesFailed} failed` : '';
    rows.push({
      key: `bay:${d.sessionId}`,
      kind: 'bar',
      label: `  ${cut(d.deviceSerial, SERIAL_WIDTH).padEnd(SERIAL_WIDTH)}`,
      value: d.filesSecured + d.filesFailed,
      total: d.filesTotal,
      text: `${d.filesSecured}/${d.filesTotal}${failed}  ${stateOf(d, options.departed?.(d) ?? false)}`,
    });
    rows.push({ key: `bay:${d.sessionId}:bytes`, kind: 'text', text: `    ${transferText(d, now)}${d.reason ? `  ${d.reason}` : ''}` });
  }
  rows.push({ key: 'queues', kind: 'text', text: 'Queues:' });
  for (const [name, counts] of Object.entries(report.queues)) {
    // Only the counts that are not zero: all of them do not fit 80 columns.
    const text = Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join('  ') || 'idle';
    rows.push({ key: `queue:${name}`, kind: 'text', text: `  ${cut(name, 24).padEnd(24)} ${text}` });
  }
  alertLines(report.alerts).forEach((text, i) => rows.push({ key: `alert:${i}`, kind: 'text', text }));
  return rows;
}

/** One row as drawn: a bar row's bar is empty for a device with nothing to secure unless it is done. */
export function drawRow(row: ViewRow, width = VIEW_COLUMNS): string {
  if (row.kind === 'text') return cut(row.text, width);
  const fraction = row.total === 0 ? 0 : Math.min(1, row.value / row.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  return cut(`${row.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${row.text}`, width);
}

function formatRow(_options: cliProgress.Options, _params: cliProgress.Params, row: ViewRow): string {
  return drawRow(row, Math.min(VIEW_COLUMNS, process.stdout.columns ?? VIEW_COLUMNS));
}

/**
 * The live view: redraws bays, queues and alerts every `intervalMs` until Ctrl-C or `q`. Bars are updated in
 * place; when bays come or go the view is laid out again. Without a terminal it prints the plain view
 * at each interval instead.
 */
export async function watchStatus<D extends DockJson>(read: () => Promise<StatusReport<D>>, intervalMs: number, plain: (report: StatusReport<D>) => string, options: ViewOptions = {}): Promise<void> {
  const tty = process.stdout.isTTY === true;
  let multibar: cliProgress.MultiBar | null = null;
  let bars = new Map<string, cliProgress.SingleBar>();
  let layout = '';

  const draw = (rows: ViewRow[]) => {
    const keys = rows.map((r) => r.key).join('\n');
    if (keys !== layout || !multibar) {
      multibar?.stop();
      multibar = new cliProgress.MultiBar({ format: formatRow as cliProgress.GenericFormatter, stream: process.stdout, hideCursor: true, clearOnComplete: true, fps: 5 });
      bars = new Map(rows.map((r) => [r.key, multibar!.create(r.kind === 'bar' ? Math.max(r.total, 1) : 1, r.kind === 'bar' ? r.value : 0, r)]));
      layout = keys;
      return;
    }
    for (const row of rows) {
      const bar = bars.get(row.key)!;
      if (row.kind === 'bar') bar.setTotal(Math.max(row.total, 1));
      bar.update(row.kind === 'bar' ? row.value : 0, row);
    }
  };

  let stopped = false;
  const stop = new Promise<void>((resolve) => {
    const end = () => {
      stopped = true;
      resolve();
    };
    process.once('SIGINT', end);
    // `q` quits, as in other terminal viewers; raw mode, so no Enter is needed (Ctrl-C arrives as a byte then).
    if (tty && process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.on('data', (key: Buffer) => {
        if (key.includes(0x71) || key.includes(0x51) || key.includes(0x03)) end();
      });
    }
  });
  while (!stopped) {
    let rows: ViewRow[];
    let report: StatusReport<D> | null = null;
    try {
      report = await read();
      rows = viewRows(report, options);
    } catch (error) {
      rows = [{ key: 'error', kind: 'text', text: `cannot read the status: ${(error as Error).message}; retrying` }];
    }
    if (tty) draw(rows);
    else process.stdout.write(`${report ? plain(report) : rows.map((r) => (r.kind === 'text' ? r.text : '')).join('\n')}\n`);
    await Promise.race([stop, new Promise((r) => setTimeout(r, intervalMs))]);
  }
  (multibar as cliProgress.MultiBar | null)?.stop();
  if (tty && process.stdin.isTTY) {
    process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
