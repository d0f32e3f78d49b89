import { ulid } from 'ulid';
import type { Alert, AlertStatus, Condition } from '../../domain/alerts.ts';
import type { AlertStore } from '../../ports/alerts.ts';

export interface AlertDelivery {
  alertId: string;
  status: AlertStatus;
  at: Date;
  error: string | null;
}

/** Alerts in memory: at most one active alert per key, as the PostgreSQL store's partial unique index makes it. */
export class MemoryAlertStore implements AlertStore {
  private readonly alerts: Alert[] = [];
  /** Every delivery outcome recorded, in order. */
  readonly deliveries: AlertDelivery[] = [];

  async active(): Promise<Alert[]> {
    return this.alerts.filter((a) => a.clearedAt === null).map((a) => structuredClone(a));
  }

  async get(id: string): Promise<Alert | null> {
    const found = this.alerts.find((a) => a.id === id);
    return found ? structuredClone(found) : null;
  }

  async raise(condition: Condition, at: Date): Promise<Alert | null> {
    if (this.alerts.some((a) => a.key === condition.key && a.clearedAt === null)) return null;
    const alert: Alert = { ...structuredClone(condition), id: ulid(at.getTime()), raisedAt: at, seenAt: at, clearedAt: null };
    this.alerts.push(alert);
    return structuredClone(alert);
  }

  async refresh(id: string, condition: Condition, at: Date): Promise<void> {
    const alert = this.alerts.find((a) => a.id === id && a.clearedAt === null);
    if (!alert) return;
    Object.assign(alert, { message: condition.message, details: structuredClone(condition.details), severity: condition.severity });
    if (at > alert.seenAt) alert.seenAt = at;
  }

  async clear(id: string, at: Date): Promise<Alert | null> {
    const alert = this.alerts.find((a) => a.id === id && a.clearedAt === null);
    if (!alert) return null;
    alert.clearedAt = at;
    return structuredClone(alert);
  }

  async recent(since: Date, limit: number): Promise<Alert[]> {
    const latest = (a: Alert) => Math.max(a.raisedAt.getTime(), a.clearedAt?.getTime() ?? 0);
    return this.alerts
      .filter((a) => a.raisedAt >= since || (a.clearedAt !== null && a.clearedAt >= since))
      .sort((a, b) => latest(b) - latest(a) || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((a) => structuredClone(a));
  }

  async recordDelivery(id: string, status: AlertStatus, outcome: { at: Date; error: string | null }): Promise<void> {
    this.deliveries.push({ alertId: id, status, ...outcome });
  }
}
