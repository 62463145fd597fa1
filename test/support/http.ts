import { Agent, request } from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

/** One keep-alive agent for all test requests: thousands of POSTs without exhausting ports. */
export const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Headers every request to a server gets unless the call sets them itself:
 * test/support/server.ts registers `Authorization: Bearer <admin token>` here
 * after its automatic login. Keyed by origin (http://127.0.0.1:PORT).
 */
const defaultHeaders = new Map<string, Record<string, string>>();

export function setDefaultHeaders(baseUrl: string, headers: Record<string, string> | undefined): void {
  const origin = new URL(baseUrl).origin;
  if (headers) defaultHeaders.set(origin, headers);
  else defaultHeaders.delete(origin);
}

/**
 * The default headers for `url`, overridden by `headers`. Names are compared
 * case-insensitively; a header given as '' in `headers` removes the default
 * (e.g. `{ authorization: '' }` sends no Authorization at all).
 */
export function withDefaultHeaders(url: string | URL, headers: Record<string, string> = {}): Record<string, string> {
  const merged: Record<string, string> = {};
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(defaultHeaders.get(new URL(url).origin) ?? {})) {
    if (!given.has(name.toLowerCase())) merged[name] = value;
  }
  for (const [name, value] of Object.entries(headers)) if (value !== '') merged[name] = value;
  return merged;
}

/** A raw HTTP request (so tests can send exactly the bytes they mean, bad JSON included). */
export function send<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: withDefaultHeaders(url, {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function postJson<T = unknown>(baseUrl: string, path: string, value: unknown, headers: Record<string, string> = {}) {
  return send<T>(baseUrl, 'POST', path, { body: JSON.stringify(value), headers });
}

export function getJson<T = unknown>(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  return send<T>(baseUrl, 'GET', path, { headers });
}

export const PING = { type: 'ping', target: 'vigil', environment: 'staging', params: {} } as const;

export async function ping(baseUrl: string, headers: Record<string, string> = {}) {
  const response = await postJson<{ commandId: string; position: number }>(baseUrl, '/api/commands', PING, headers);
  if (response.status !== 202) throw new Error(`ping answered ${response.status}: ${response.text}`);
  return response.body;
}

export async function logPosition(baseUrl: string): Promise<number> {
  const health = await getJson<{ eventLogPosition: number }>(baseUrl, '/api/health');
  return health.body.eventLogPosition;
}

/** Polls until `check` returns a value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
