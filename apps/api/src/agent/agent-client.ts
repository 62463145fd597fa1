/** What an agent request answered; `status` 0 means the server could not be reached. */
export interface AgentResponse<T = unknown> {
  status: number;
  body: T | undefined;
  message: string;
}

export interface AgentIdentity {
  server: string;
  name: string;
  token: string;
}

/** A request must answer within this long; the stream is watched separately. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The agent's side of the protocol's HTTP: every request names the host and carries its token. */
export class AgentClient {
  constructor(private readonly identity: AgentIdentity) {}

  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.identity.token}`, 'x-vigil-host': this.identity.name };
  }

  url(path: string): string {
    return new URL(path, this.identity.server).toString();
  }

  async post<T = unknown>(path: string, body: unknown): Promise<AgentResponse<T>> {
    try {
      const response = await fetch(this.url(path), {
        method: 'POST',
        headers: { ...this.headers(), 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const message = (parsed as { message?: unknown } | undefined)?.message;
      return { status: response.status, body: parsed as T, message: typeof message === 'string' ? message : text.slice(0, 200) };
    } catch (error) {
      return { status: 0, body: undefined, message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** One SSE message: its id (durable events) and its data. */
export interface SseMessage {
  id?: string;
  data: string;
}

/**
 * Reads an SSE response body message by message. Resolves when the stream ends;
 * rejects when it breaks or stays silent for `idleMs` (the server sends a
 * heartbeat every 5 s, so silence means a dead connection).
 */
export async function readSse(body: ReadableStream<Uint8Array>, onMessage: (message: SseMessage) => void, idleMs: number): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const idle = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void reader.cancel(new Error(`no data for ${idleMs} ms`));
    }, idleMs);
  };
  try {
    idle();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      idle();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id: string | undefined;
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith('id:')) id = line.slice(3).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) onMessage({ id, data: data.join('\n') });
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
