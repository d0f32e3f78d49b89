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
 * 2. running jobs finish, or are cancelled and released, within one `graceMs` for all worker sets together
 *    (and work in hand that is not a job, such as a device being admitted, ends beside them);
 * 3. connections and embedded servers close, one after another (the last seal needs the connections).
 * A failing part is logged and does not keep the others open.
 */
export async function stopInPhases({ roles, connections, graceMs, log }: PhasedStop): Promise<void> {
  // Each part says how long it took: a stop that overruns names what held it.
  const attempt = async (what: string, work: () => Promise<void>) => {
    const began = Date.now();
    await work().catch((err: unknown) => log.error({ err, what }, 'error while stopping'));
    log.debug({ what, ms: Date.now() - began }, 'stopped');
  };
  const sets = roles.flatMap((role) => role.workers.map((workers) => ({ role: role.name, workers })));
  // Intake stops first (synchronously started), so nothing resumes a worker set paused next.
  const intake = roles.map((role) => attempt(`${role.name} intake`, () => role.stopIntake()));
  await Promise.all([...intake, ...sets.map((s) => attempt(`${s.role} workers pause`, () => s.workers.pause()))]);
  log.info({ phase: 1, workerSets: sets.length }, 'stopping: no new devices, requests or jobs');
  const drains = roles.map((role) => attempt(`${role.name} work in hand`, () => role.drain?.() ?? Promise.resolve()));
  await Promise.all([...drains, ...sets.map((s) => attempt(`${s.role} workers`, () => s.workers.close(graceMs)))]);
  log.info({ phase: 2 }, 'stopping: running jobs finished or released');
  for (const c of connections) await attempt(c.what, () => c.close());
}
