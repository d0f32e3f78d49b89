import type { Alert, AlertPlan, AlertStatus } from '../../domain/alerts.ts';
import type { CheckDeps } from './ports.ts';

/** Queues the webhook message (a job: retried with backoff, survives restarts); nothing when no webhook is set. */
async function notify(deps: CheckDeps, alert: Alert, status: AlertStatus): Promise<void> {
  if (deps.admin.notifier.enabled) await deps.queues.add('deliver-alert', { alertId: alert.id, status });
}

/**
 * Carries out a plan: each alert raised or cleared is logged and notified once. The store decides races
 * between checks on several hosts: only the check whose raise (or clear) took effect notifies.
 */
export async function raiseAndClear(deps: CheckDeps, plan: AlertPlan, now: Date): Promise<{ raised: number; refreshed: number; cleared: number }> {
  const { alerts } = deps.admin;
  let raised = 0;
  let cleared = 0;
  for (const condition of plan.raise) {
    const alert = await alerts.raise(condition, now);
    if (!alert) continue;
    raised += 1;
    deps.log[alert.severity === 'critical' ? 'error' : 'warn']({ alertId: alert.id, alertKey: alert.key, kind: alert.kind, subject: alert.subject, details: alert.details }, `alert: ${alert.message}`);
    await notify(deps, alert, 'firing');
  }
  for (const { alert, condition } of plan.refresh) await alerts.refresh(alert.id, condition, now);
  for (const active of plan.clear) {
    const alert = await alerts.clear(active.id, now);
    if (!alert) continue;
    cleared += 1;
    deps.log.info({ alertId: alert.id, alertKey: alert.key, kind: alert.kind, subject: alert.subject }, `alert cleared: ${alert.message}`);
    await notify(deps, alert, 'resolved');
  }
  return { raised, refreshed: plan.refresh.length, cleared };
}
