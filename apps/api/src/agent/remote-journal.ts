import { Logger } from '@nestjs/common';
import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import type { AgentClient } from './agent-client';

interface Pending {
  type: string;
  data: Record<string, unknown>;
  correlationId: string;
  causationId?: string;
}

/** Service events kept while the server is away (the oldest go first past this). */
const MAX_PENDING = 5_000;

/**
 * Where the agent's supervisor "appends" its service.* events: they are queued and
 * POSTed to /api/agent/events in order, so a process that started or exited while
 * the server was away is still recorded when it is back. It stands in for the
 * EventStore's append (the one method the supervisor and the deploy step use).
 */
export class RemoteJournal {
  private readonly logger = new Logger('Agent');
  private queue: Pending[] = [];
  private sending = false;

  constructor(private readonly client: AgentClient) {}

  append(_stream: string, _expected: unknown, events: NewEvent[], meta: EventMeta): Promise<StoredEvent[]> {
    for (const event of events) {
      this.queue.push({
        type: event.type,
        data: event.data as unknown as Record<string, unknown>,
        correlationId: meta.correlationId,
        ...(meta.causationId !== undefined ? { causationId: meta.causationId } : {}),
      });
    }
    if (this.queue.length > MAX_PENDING) this.queue.splice(0, this.queue.length - MAX_PENDING);
    void this.flush();
    return Promise.resolve([]);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued, in order; stops at the first failure (retried by the next flush). */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, 100);
        const answer = await this.client.post('/api/agent/events', { events: batch });
        if (answer.status === 0 || answer.status >= 500 || answer.status === 401) return;
        if (answer.status >= 400) this.logger.error(`service events refused (${answer.status}): ${answer.message}`);
        this.queue.splice(0, batch.length);
      }
    } finally {
      this.sending = false;
    }
  }
}
