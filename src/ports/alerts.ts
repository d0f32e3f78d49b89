import type { Alert, AlertMessage, AlertStatus, Condition } from '../domain/alerts.ts';

/**
 * Alerts as the catalog keeps them: at most one active alert per condition key (concurrent checks on
 * several dock hosts race for it; exactly one wins and notifies).
 */
export interface AlertStore {
  active(): Promise<Alert[]>;
  get(id: string): Promise<Alert | null>;
  /** Raises an alert for the condition; null when one is already active for its key (someone else raised it). */
  raise(condition: Condition, at: Date): Promise<Alert | null>;
  /** Refreshes message and details of an active alert found again. */
  refresh(id: string, condition: Condition, at: Date): Promise<void>;
  /** Clears an active alert; null when it was cleared already (by a concurrent check). */
  clear(id: string, at: Date): Promise<Alert | null>;
  /** Alerts raised or cleared at or after `since`, newest first. */
  recent(since: Date, limit: number): Promise<Alert[]>;
  /** Records that the webhook took the alert's `status` message, or why it would not. */
  recordDelivery(id: string, status: AlertStatus, outcome: { at: Date; error: string | null }): Promise<void>;
}

/** Where alerts go besides the log, status and the API: the configured webhook. */
export interface AlertNotifier {
  /** Whether anything is configured: without a receiver no delivery job is queued. */
  readonly enabled: boolean;
  /** Throws on failure: a PermanentError when the receiver refuses the message, else a transient error (retried). */
  deliver(message: AlertMessage): Promise<void>;
}
