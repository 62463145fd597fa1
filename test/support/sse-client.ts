import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { withDefaultHeaders } from './http';

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  /** Parsed JSON of `data`. */
  json: { type: string; position?: number; [key: string]: unknown };
  /** performance.now() when the message was parsed (pacing checks). */
  receivedAt: number;
}

/**
 * A minimal SSE client over node:http, so tests see the exact frames (ids,
 * comments, retry) and can cut the connection at any byte.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  retry?: number;
  comments = 0;
  ended = false;
  private req?: ClientRequest;
  private res?: IncomingMessage;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly url: string) {}

  static connect(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(new URL(path, baseUrl).toString());
    return client.open(headers).then(() => client);
  }

  private open(headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(this.url, { headers: withDefaultHeaders(this.url, { accept: 'text/event-stream', ...headers }) }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.feed(chunk);
        });
        const finish = (): void => {
          this.ended = true;
          this.notify();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
        resolve();
      });
      this.req.on('error', (error) => {
        this.ended = true;
        this.notify();
        reject(error);
      });
      this.req.end();
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      this.parseBlock(block);
    }
    this.notify();
  }

  private parseBlock(block: string): void {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments += 1;
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') this.retry = Number(value);
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    this.messages.push({ id, event, data: text, json: JSON.parse(text) as SseMessage['json'], receivedAt: performance.now() });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Durable events received (messages with an id), in arrival order. */
  get events(): SseMessage[] {
    return this.messages.filter((message) => message.id !== undefined);
  }

  get lastEventId(): string | undefined {
    const events = this.events;
    return events.length > 0 ? events[events.length - 1].id : undefined;
  }

  /** Waits until `predicate` holds over the messages so far. */
  async waitFor(what: string, predicate: (messages: SseMessage[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (this.ended) throw new Error(`stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.messages.length} messages so far)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForEnd(timeoutMs = 10_000): Promise<void> {
    return this.waitFor('the stream to end', () => this.ended, timeoutMs).catch((error: unknown) => {
      if (!this.ended) throw error;
    });
  }

  /** Cuts the connection abruptly, as a dropped network would. */
  close(): void {
    this.req?.destroy();
    this.res?.destroy();
  }
}
