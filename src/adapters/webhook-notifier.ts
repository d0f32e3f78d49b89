import type { AlertMessage } from '../domain/alerts.ts';
import { PermanentError } from '../domain/errors.ts';
import type { AlertNotifier } from '../ports/alerts.ts';

export interface WebhookSettings {
  url: string | null;
  bearerToken: string | null;
  timeoutMs: number;
}

/** Statuses worth trying again: the receiver is busy, rate-limiting, or timed out on its side. */
const RETRYABLE = new Set([408, 425, 429]);

/** POSTs each alert message as JSON. A 2xx is delivered; 5xx, 408/429 and network errors are retried; other 4xx are refusals. */
export class WebhookNotifier implements AlertNotifier {
  constructor(private readonly settings: WebhookSettings) {}

  get enabled(): boolean {
    return this.settings.url !== null;
  }

  async deliver(message: AlertMessage): Promise<void> {
    const { url, bearerToken, timeoutMs } = this.settings;
    if (!url) throw new PermanentError('no alert webhook configured (alerts.webhook.url)', 'webhook-not-configured');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}) },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not needed; reading it lets the connection be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const what = `alert webhook ${new URL(url).origin} answered ${response.status} ${response.statusText}`;
    if (response.status >= 500 || RETRYABLE.has(response.status)) throw new Error(`${what}; retrying`);
    throw new PermanentError(`${what}: it refuses the message; check alerts.webhook.url and its token`, 'webhook-refused');
  }
}
