/** Longest wait a Retry-After may ask for; beyond it the normal backoff applies. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * A failed delivery with what it means for the next attempt: a permanent failure
 * (a 4xx other than 408 and 429: the request itself is wrong) is not retried; a
 * 429 or 503 may say when to come back (Retry-After).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Retry-After: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** POSTs JSON; resolves on 2xx, else throws a DeliveryError that says whether to retry and when. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> | undefined, timeoutMs: number): Promise<void> {
  // One deadline for connect, request and response body.
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'user-agent': 'Vigil', ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
    // A webhook URL is a secret; a redirect would hand the payload somewhere else.
    redirect: 'error',
  });
  // Read the answer so the connection can be reused; its content does not matter.
  await response.arrayBuffer();
  if (response.ok) return;
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const wait = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
  throw new DeliveryError(
    isPermanent(response.status) ? `${status} (not retried: the receiver refuses this request)` : status,
    isPermanent(response.status),
    wait,
  );
}
