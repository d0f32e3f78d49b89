import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobOutcome } from '../ports/job-observer.ts';
import type { GaugeSnapshot, Metrics } from '../ports/metrics.ts';

/** The state of the installation, read at each scrape. */
function gaugesOn(registry: Registry) {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    queueJobs: gauge('evidock_queue_jobs', 'Jobs per evidock queue and state', ['queue', 'state']),
    queueAge: gauge('evidock_queue_oldest_waiting_seconds', 'Age of the oldest job waiting in each queue (0 when none waits)', ['queue']),
    docks: gauge('evidock_dock_sessions_active', 'Devices docked now (open dock sessions) per dock host and state', ['dock_host', 'state']),
    late: gauge('evidock_items_secured_late', 'Items secured more than 24 h after capture (regulation B7), flagged'),
    caseFiles: gauge('evidock_case_files_pending', 'Case files due within the warning window or overdue (regulation B8)', ['standing']),
    diskFree: gauge('evidock_disk_free_bytes', 'Free bytes on each watched disk of this host', ['path']),
    diskTotal: gauge('evidock_disk_total_bytes', 'Size of each watched disk of this host', ['path']),
    alerts: gauge('evidock_alerts_active', 'Active alerts per kind and severity', ['kind', 'severity']),
    items: gauge('evidock_evidence_items', 'Evidence items in the catalog'),
    bytes: gauge('evidock_evidence_bytes', 'Bytes of evidence originals in the catalog'),
  };
}

/** prom-client on a registry of its own (one per process; tests make several). */
export class PromMetrics implements Metrics {
  private readonly registry = new Registry();
  private readonly jobDuration: Histogram;
  private readonly jobFailures: Counter;
  private readonly securedFiles: Counter;
  private readonly securedBytes: Counter;
  private readonly secureThroughput: Histogram;
  private readonly gauges: ReturnType<typeof gaugesOn>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'evidock_' });
    this.jobDuration = new Histogram({
      name: 'evidock_job_duration_seconds', help: 'Run time of jobs run by this process, per stage (job name) and outcome',
      labelNames: ['stage', 'outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900], registers,
    });
    this.jobFailures = new Counter({
      name: 'evidock_job_failures_total', help: 'Failed job runs in this process, per stage and reason (PermanentError code or error class); final: will not run again',
      labelNames: ['stage', 'reason', 'final'], registers,
    });
    this.securedFiles = new Counter({ name: 'evidock_secured_files_total', help: 'Files secured (stored and verified) by this process', registers });
    this.securedBytes = new Counter({ name: 'evidock_secured_bytes_total', help: 'Bytes secured (stored and verified) by this process', registers });
    this.secureThroughput = new Histogram({
      name: 'evidock_secure_throughput_bytes_per_second', help: 'Per secured file: its size over the secure job run time (read, hash, upload, verify)',
      buckets: [1e6, 5e6, 10e6, 25e6, 50e6, 100e6, 200e6, 400e6, 800e6], registers,
    });
    this.gauges = gaugesOn(this.registry);
  }

  jobFinished(o: JobOutcome): void {
    this.jobDuration.observe({ stage: o.name, outcome: o.outcome }, o.durationMs / 1000);
    if (o.outcome === 'failed') this.jobFailures.inc({ stage: o.name, reason: o.reason ?? 'unknown', final: String(o.final) });
    if (o.name === 'secure-file' && o.outcome === 'completed' && o.result?.outcome === 'secured') {
      const size = Number(o.payload.size ?? 0);
      this.securedFiles.inc();
      this.securedBytes.inc(size);
      if (o.durationMs > 0) this.secureThroughput.observe(size / (o.durationMs / 1000));
    }
  }

  async render(s: GaugeSnapshot): Promise<{ contentType: string; body: string }> {
    // Label sets that vanished (a drained queue, an undocked device) must not linger from the last scrape.
    for (const g of Object.values(this.gauges)) g.reset();
    const g = this.gauges;
    for (const q of s.queues) {
      for (const [state, n] of Object.entries(q.counts)) g.queueJobs.set({ queue: q.queue, state }, n);
      g.queueAge.set({ queue: q.queue }, (q.oldestWaitingMs ?? 0) / 1000);
    }
    for (const d of s.docks) g.docks.set({ dock_host: d.dockHost, state: d.state }, d.count);
    g.late.set(s.itemsSecuredLate);
    g.caseFiles.set({ standing: 'due-soon' }, s.caseFiles.dueSoon);
    g.caseFiles.set({ standing: 'overdue' }, s.caseFiles.overdue);
    for (const d of s.disks) {
      g.diskFree.set({ path: d.path }, d.freeBytes);
      g.diskTotal.set({ path: d.path }, d.totalBytes);
    }
    for (const a of s.alertsActive) g.alerts.set({ kind: a.kind, severity: a.severity }, a.count);
    g.items.set(s.evidence.items);
    g.bytes.set(s.evidence.bytes);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
