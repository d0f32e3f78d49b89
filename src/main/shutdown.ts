import type { Logger } from '../log.ts';
import type { RunningRole } from './roles/role.ts';

export interface PhasedStop {
  roles: RunningRole[];
  /** Closed one after another in phase 3, in this order. */
  connections: Array<{ what: string; close(): Promise<void> }>;
  graceMs: number;
  log: Logger;
}

/**
 * The whole process stops in three phases, each part of a phase at once, so a stop takes one grace time
 * plus the closing of connections, however many roles and worker sets there are:
 * 1. no new work: device sources and the API stop, every worker set pauses (no new job is taken);
 * 2. running jobs finish, or are cancelled and released, within one `graceMs` for all worker sets together;
 * 3. connections and embedded servers close, one after another (the last seal needs the connections).
 * A failing part is logged and does not keep the others open.
 */
export async function stopInPhases({ roles, connections, graceMs, log }: PhasedStop): Promise<void> {
  const attempt = (what: string, work: () => Promise<void>) => work().catch((err: unknown) => log.error({ err, what }, 'error while stopping'));
  const workers = roles.flatMap((role) => role.workers);
  // Intake stops first (synchronously started), so nothing resumes a worker set paused next.
  const intake = roles.map((role) => attempt('intake', () => role.stopIntake()));
  await Promise.all([...intake, ...workers.map((w) => attempt('pausing workers', () => w.pause()))]);
  log.info({ phase: 1, workerSets: workers.length }, 'stopping: no new devices, requests or jobs');
  await Promise.all(workers.map((w) => attempt('closing workers', () => w.close(graceMs))));
  log.info({ phase: 2 }, 'stopping: running jobs finished or released');
  for (const c of connections) await attempt(c.what, () => c.close());
}
