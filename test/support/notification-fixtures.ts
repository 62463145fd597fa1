import type { StoredEvent } from '@vigil/shared';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the notifications specs share: alert events as the notifier gets them, and a real webhook receiver. */

export type AlertEvent = StoredEvent<'alert.raised' | 'alert.resolved'>;

/** Positions for the events made here, increasing over a test file's run. */
let position = 0;
export function alertEvent(type: 'alert.raised' | 'alert.resolved', data: Record<string, unknown>): AlertEvent {
  position++;
  return {
    position,
    stream: `alert-${String(data.alertId)}`,
    version: 1,
    type,
    data,
    meta: { correlationId: `c-${position}` },
    time: new Date().toISOString(),
    hash: 'x',
  } as unknown as AlertEvent;
}

export function raised(alertId: string, extra: Record<string, unknown> = {}): AlertEvent {
  return alertEvent('alert.raised', {
    alertId,
    rule: { name: 'cpu-high', kind: 'threshold', severity: 'critical' },
    source: 'api-server',
    environment: 'production',
    metric: 'cpu.percent',
    value: 97.5,
    threshold: 90,
    severity: 'critical',
    labels: { team: 'ops' },
    message: 'CPU at 97.5% on api-server',
    ...extra,
  });
}

export interface Received {
  body: unknown;
  headers: IncomingMessage['headers'];
}

/** A real HTTP receiver on loopback: answers with the queued statuses, then 200. */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  statuses: number[] = [];
  /** Extra response headers, one set per request in turn (e.g. a Retry-After with a 429). */
  responseHeaders: Record<string, string>[] = [];
  delayMs = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers });
        const status = this.statuses.shift() ?? 200;
        const headers = { 'content-type': 'text/plain', ...this.responseHeaders.shift() };
        setTimeout(() => res.writeHead(status, headers).end(status === 200 ? 'ok' : 'nope'), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
