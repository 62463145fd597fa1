import type { StoredEvent } from '@vigil/shared';

/**
 * SSE wire frames, built once and shared as the same Buffer by every client that
 * gets them. JSON never contains a raw newline, so each frame has one data line.
 */
export function eventFrame(event: StoredEvent): Buffer {
  return Buffer.from(eventFrameText(event));
}

export function eventFrameText(event: StoredEvent): string {
  return `id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A live-only message: no `id:`, so it never moves the client's Last-Event-ID. */
export function messageFrame(message: object): Buffer {
  return Buffer.from(messageFrameText(message));
}

export function messageFrameText(message: object): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}

/** A snapshot that resets the client's Last-Event-ID to the position it includes (after a resume it could not honour). */
export function resetFrameText(position: number, message: object): string {
  return `id: ${position}\ndata: ${JSON.stringify(message)}\n\n`;
}

export function retryFrame(retryMs: number): Buffer {
  return Buffer.from(retryFrameText(retryMs));
}

export function retryFrameText(retryMs: number): string {
  return `retry: ${retryMs}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies from closing a quiet stream. */
export const HEARTBEAT_TEXT = ':\n\n';
export const HEARTBEAT_FRAME = Buffer.from(HEARTBEAT_TEXT);

/** Response headers of every SSE stream: no caching, no transform, no proxy buffering. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};
