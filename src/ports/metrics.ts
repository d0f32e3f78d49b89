import type { JobObserver } from './job-observer.ts';

/** What a scrape reads from the shared services (the same from any host), as plain numbers. */
export interface GaugeSnapshot {
  queues: Array<{ queue: string; counts: Record<string, number>; oldestWaitingMs: number | null }>;
  /** Open dock sessions (devices in a bay) by host and state. */
  docks: Array<{ dockHost: string; state: string; count: number }>;
  itemsSecuredLate: number;
  caseFiles: { dueSoon: number; overdue: number };
  /** This host's watched disks. */
  disks: Array<{ path: string; freeBytes: number; totalBytes: number }>;
  alertsActive: Array<{ kind: string; severity: string; count: number }>;
  evidence: { items: number; bytes: number };
}

/** Prometheus metrics of this process: jobs it ran (observed) and the installation's state (read at scrape). */
export interface Metrics extends JobObserver {
  /** The text exposition format, and its content type. */
  render(snapshot: GaugeSnapshot): Promise<{ contentType: string; body: string }>;
}
