import { alertMessage } from '../../domain/alerts.ts';
import { PermanentError } from '../../domain/errors.ts';
import type { DeliverAlertPayload } from '../../domain/jobs.ts';
import type { Processor } from '../../ports/jobs.ts';
import type { CheckDeps } from './ports.ts';

/** Sends one alert message to the webhook; failures are retried by the queue (alerts.webhook.attempts). */
export function deliverAlertProcessor(deps: Pick<CheckDeps, 'admin' | 'clock'>): Processor<'deliver-alert'> {
  return async (p: DeliverAlertPayload) => {
    const alert = await deps.admin.alerts.get(p.alertId);
    if (!alert) throw new PermanentError(`alert ${p.alertId} does not exist`, 'unknown-alert');
    await deps.admin.notifier.deliver(alertMessage(alert, p.status));
    await deps.admin.alerts.recordDelivery(alert.id, p.status, { at: deps.clock.now(), error: null });
    return { alertId: alert.id, status: p.status, delivered: true };
  };
}

/** A message the webhook never took: the reason stays on the alert (and the failed job in the dashboard). */
export async function alertUndelivered(deps: Pick<CheckDeps, 'admin' | 'clock'>, p: DeliverAlertPayload, reason: string): Promise<void> {
  await deps.admin.alerts.recordDelivery(p.alertId, p.status, { at: deps.clock.now(), error: reason });
}
