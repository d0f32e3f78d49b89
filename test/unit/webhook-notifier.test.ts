import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../src/adapters/webhook-notifier.ts';
import { type Alert, alertMessage } from '../../src/domain/alerts.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import { freePorts } from '../support/ports.ts';

const alert: Alert = {
  id: '01K0000000000000000000000A', key: 'disk-low:dock-1:/data', kind: 'disk-low', severity: 'critical', subject: 'disk:dock-1:/data',
  message: 'low', details: {}, once: false, raisedAt: new Date('2026-05-01T08:00:00Z'), seenAt: new Date('2026-05-01T08:00:00Z'), clearedAt: null,
};

/** A loopback receiver answering each request with the next status of `statuses`. */
describe('the alert webhook', () => {
  let server: Server;
  let url: string;
  let statuses: number[] = [];
  const seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(statuses.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook?token=secret`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const notifier = (over: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) =>
    new WebhookNotifier({ url, bearerToken: 'tok-1', timeoutMs: 2000, ...over });

  it('POSTs the message as JSON with the bearer token', async () => {
    statuses = [204];
    await notifier().deliver(alertMessage(alert, 'firing'));
    const last = seen.at(-1)!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe('Bearer tok-1');
    expect(JSON.parse(last.body)).toMatchObject({ source: 'evidock', status: 'firing', key: alert.key });
  });

  it('treats 5xx and 429 as worth retrying, and another 4xx as a refusal', async () => {
    statuses = [503];
    const busy = await notifier().deliver(alertMessage(alert, 'firing')).catch((e: Error) => e);
    expect(busy).toBeInstanceOf(Error);
    expect(busy).not.toBeInstanceOf(PermanentError);
    statuses = [429];
    expect(await notifier().deliver(alertMessage(alert, 'firing')).catch((e: Error) => e)).not.toBeInstanceOf(PermanentError);
    statuses = [401];
    const refused = await notifier().deliver(alertMessage(alert, 'firing')).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect((refused as PermanentError).code).toBe('webhook-refused');
    // The message names the receiver, never its path or query (which may carry a token).
    expect((refused as Error).message).toContain('401');
    expect((refused as Error).message).not.toContain('secret');
  });

  it('retries a receiver that does not answer, and is off without a URL', async () => {
    const [closed] = await freePorts(1);
    const down = await notifier({ url: `http://127.0.0.1:${closed}/hook` }).deliver(alertMessage(alert, 'firing')).catch((e: Error) => e);
    expect(down).toBeInstanceOf(Error);
    expect(down).not.toBeInstanceOf(PermanentError);
    expect(notifier({ url: null }).enabled).toBe(false);
  });
});
