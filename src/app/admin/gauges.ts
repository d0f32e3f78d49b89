import { caseFileStanding } from '../../domain/deadlines.ts';
import type { GaugeSnapshot } from '../../ports/metrics.ts';
import type { AdminDeps } from './deps.ts';
import { deadlineRules, diskFacts, pendingCaseFiles } from './check-deadlines.ts';

function countBy<T>(rows: T[], key: (row: T) => string): Map<string, { row: T; count: number }> {
  const counts = new Map<string, { row: T; count: number }>();
  for (const row of rows) {
    const k = key(row);
    const entry = counts.get(k) ?? { row, count: 0 };
    entry.count += 1;
    counts.set(k, entry);
  }
  return counts;
}

/** What /metrics reports about the installation, read from the queues, the catalog and this host's disks. */
export async function gaugeSnapshot(deps: AdminDeps): Promise<GaugeSnapshot> {
  const { admin, catalog } = deps;
  const now = deps.clock.now();
  const rules = deadlineRules(deps.config);
  const [queues, open, late, cases, disks, active, evidence] = await Promise.all([
    admin.jobs.stats(now),
    catalog.recentSessions(0, now),
    admin.facts.lateItemCount(),
    pendingCaseFiles(deps),
    diskFacts(deps),
    admin.alerts.active(),
    admin.facts.evidenceTotals(),
  ]);
  const standings = cases.map((c) => caseFileStanding(c, now, rules));
  return {
    queues,
    docks: [...countBy(open.filter((s) => s.endedAt === null), (s) => `${s.dockHost}\u0000${s.state}`).values()].map(({ row, count }) => ({
      dockHost: row.dockHost, state: row.state, count,
    })),
    itemsSecuredLate: late,
    caseFiles: { dueSoon: standings.filter((s) => s === 'due-soon').length, overdue: standings.filter((s) => s === 'overdue').length },
    disks,
    alertsActive: [...countBy(active, (a) => `${a.kind}\u0000${a.severity}`).values()].map(({ row, count }) => ({ kind: row.kind, severity: row.severity, count })),
    evidence,
  };
}
