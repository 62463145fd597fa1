/** The browser's EventSource, or undefined where there is none (tests install a fake on globalThis). */
export function eventSourceImpl(): typeof EventSource | undefined {
  return (globalThis as { EventSource?: typeof EventSource }).EventSource;
}

/**
 * Detaches our handlers, then closes: a late event of a replaced source must not reach
 * the new one's state, and a closed source never reconnects on its own.
 */
export function closeEventSource(source: EventSource | null): void {
  if (!source) return;
  source.onopen = null;
  source.onmessage = null;
  source.onerror = null;
  source.close();
}

/** What every message of a Vigil stream is: a JSON object with a string `type`. */
export interface TypedMessage {
  type: string;
}

/**
 * The JSON object with a string `type` a message carries, else null (not ours, or
 * truncated): callers skip it and let the next message or a reconnect set things right.
 */
export function parseTypedMessage(data: unknown): TypedMessage | null {
  try {
    const message = JSON.parse(String(data)) as unknown;
    if (!message || typeof message !== 'object' || !('type' in message) || typeof message.type !== 'string') return null;
    return message as TypedMessage;
  } catch {
    return null;
  }
}
