import type { JobPayloads } from '../../domain/jobs.ts';
import type { Processor } from '../../ports/jobs.ts';
import type { CheckDeps } from './ports.ts';
import { checkDeadlinesProcessor } from './check-deadlines.ts';
import { alertUndelivered, deliverAlertProcessor } from './deliver-alert.ts';

export type AdminJobName = 'check-deadlines' | 'deliver-alert';

export const isAdminJob = (name: string): name is AdminJobName => name === 'check-deadlines' || name === 'deliver-alert';

export function adminProcessors(deps: CheckDeps): { [N in AdminJobName]: Processor<N> } {
  return { 'check-deadlines': checkDeadlinesProcessor(deps), 'deliver-alert': deliverAlertProcessor(deps) };
}

/** A check that failed is tried again at the next scheduled run; an alert never delivered keeps the reason. */
export async function adminFinalFailure(deps: Pick<CheckDeps, 'admin' | 'clock' | 'log'>, name: AdminJobName, payload: JobPayloads[AdminJobName], reason: string): Promise<void> {
  if (name === 'check-deadlines') {
    deps.log.error({ job: name, reason }, 'deadline check failed; the next scheduled run tries again');
    return;
  }
  const p = payload as JobPayloads['deliver-alert'];
  deps.log.error({ job: name, alertId: p.alertId, status: p.status, reason }, 'alert not delivered to the webhook; it stays listed by status and the API');
  await alertUndelivered(deps, p, reason);
}
