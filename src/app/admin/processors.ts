import type { FinalFailure, Processor } from '../../ports/jobs.ts';
import type { CheckDeps } from './ports.ts';
import { checkDeadlinesProcessor } from './check-deadlines.ts';
import { alertUndelivered, deliverAlertProcessor } from './deliver-alert.ts';

export type AdminJobName = 'check-deadlines' | 'deliver-alert';

export function adminProcessors(deps: CheckDeps): { [N in AdminJobName]: Processor<N> } {
  return { 'check-deadlines': checkDeadlinesProcessor(deps), 'deliver-alert': deliverAlertProcessor(deps) };
}

/** A check that failed is tried again at the next scheduled run; an alert never delivered keeps the reason. */
export function adminFinalFailures(deps: Pick<CheckDeps, 'admin' | 'clock' | 'log'>): { [N in AdminJobName]: FinalFailure<N> } {
  return {
    'check-deadlines': async (_payload, reason) => {
      deps.log.error({ job: 'check-deadlines', reason }, 'deadline check failed; the next scheduled run tries again');
    },
    'deliver-alert': async (p, reason) => {
      deps.log.error({ job: 'deliver-alert', alertId: p.alertId, status: p.status, reason }, 'alert not delivered to the webhook; it stays listed by status and the API');
      await alertUndelivered(deps, p, reason);
    },
  };
}
