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

const BAR_WIDTH = 30;

function stateOf(d: DockJson): string {
  return d.safeToUndock ? 'SAFE TO UNDOCK' : d.state.toUpperCase();
}

/** Alerts as text lines, most severe first (also under the plain `status`). */
export function alertLines(alerts: AlertJson[]): string[] {
  if (alerts.length === 0) return ['Alerts: none'];
  const sorted = [...alerts].sort((a, b) => (a.severity === b.severity ? a.raisedAt.localeCompare(b.raisedAt) : a.severity === 'critical' ? -1 : 1));
  return ['Alerts:', ...sorted.map((a) => `  ${a.severity === 'critical' ? 'CRITICAL' : 'warning '} ${a.message} (since ${a.raisedAt})`)];
}

/** The rows of the live view, in order: one bar per bay, then the queues, then the alerts. */
export function viewRows(report: StatusReport): ViewRow[] {
  const rows: ViewRow[] = [];
  rows.push({ key: 'docks', kind: 'text', text: report.docks.length === 0 ? 'No devices docked.' : 'Bays:' });
  for (const d of report.docks) {
    rows.push({
      key: `bay:${d.sessionId}`,
      kind: 'bar',
      label: `  ${d.deviceSerial.padEnd(20)}`,
      value: d.filesSecured + d.filesFailed,
      total: d.filesTotal,
      text: `${d.filesSecured}/${d.filesTotal} files  ${stateOf(d)}${d.reason ? `  ${d.reason}` : ''}`,
    });
  }
  rows.push({ key: 'queues', kind: 'text', text: 'Queues:' });
  for (const [name, counts] of Object.entries(report.queues)) {
    const text = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('  ');
    rows.push({ key: `queue:${name}`, kind: 'text', text: `  ${name.padEnd(28)} ${text}` });
  }
  alertLines(report.alerts).forEach((text, i) => rows.push({ key: `alert:${i}`, kind: 'text', text }));
  return rows;
}

function formatRow(_options: cliProgress.Options, params: cliProgress.Params, row: ViewRow): string {
  if (row.kind === 'text') return row.text;
  const filled = row.total === 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.round(params.progress * BAR_WIDTH));
  return `${row.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${row.text}`;
}

/**
 * The live view: redraws bays, queues and alerts every `intervalMs` until Ctrl-C. Bars are updated in
 * place; when bays come or go the view is laid out again. Without a terminal it prints the plain view
 * at each interval instead.
 */
export async function watchStatus<D extends DockJson>(read: () => Promise<StatusReport<D>>, intervalMs: number, plain: (report: StatusReport<D>) => string): Promise<void> {
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
    process.once('SIGINT', () => {
      stopped = true;
      resolve();
    });
  });
  while (!stopped) {
    let rows: ViewRow[];
    let report: StatusReport<D> | null = null;
    try {
      report = await read();
      rows = viewRows(report);
    } catch (error) {
      rows = [{ key: 'error', kind: 'text', text: `cannot read the status: ${(error as Error).message}; retrying` }];
    }
    if (tty) draw(rows);
    else process.stdout.write(`${report ? plain(report) : rows.map((r) => (r.kind === 'text' ? r.text : '')).join('\n')}\n`);
    await Promise.race([stop, new Promise((r) => setTimeout(r, intervalMs))]);
  }
  (multibar as cliProgress.MultiBar | null)?.stop();
}
