import { Controller, Get, Inject, Logger, Query, Req, Res, type OnModuleDestroy } from '@nestjs/common';
import type { StoredEvent } from '@vigil/shared';
import type { Request, Response } from 'express';
import type { Subscription } from 'rxjs';
import { Public } from '../auth/public.decorator';
import { EventStore } from '../event-store/event-store';
import { eventFrame, HEARTBEAT_FRAME, messageFrame, retryFrame, SSE_HEADERS } from '../sse/sse-frames';
import { authenticateAgent } from './agent-auth';
import { HostPresence } from './host-presence';
import { HostsRegistry } from './hosts-registry';

const HEARTBEAT_MS = 5_000;
const LAST_ID = /^\d{1,15}$/;

/**
 * GET /api/agent/stream: one SSE stream per host carrying the `command.accepted`
 * events of its services (and cancels of its commands), each with its log position
 * as `id:`. With Last-Event-ID the agent gets what it missed (commands still
 * unclaimed), then live ones, no gap and no repeat; a claim decides anyway. A
 * revoked host's stream is closed at once; a newer stream of the same host replaces it.
 */
@Public()
@Controller('api/agent/stream')
export class AgentStreamController implements OnModuleDestroy {
  private readonly logger = new Logger('AgentStream');
  private readonly open = new Map<string, () => void>();
  private readonly revocations: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(HostsRegistry) private readonly hosts: HostsRegistry,
    @Inject(HostPresence) private readonly presence: HostPresence,
  ) {
    this.revocations = this.hosts.revoked$.subscribe((name) => this.open.get(name)?.());
  }

  onModuleDestroy(): void {
    this.revocations.unsubscribe();
    for (const close of [...this.open.values()]) close();
  }

  @Get()
  async stream(@Req() request: Request, @Res() response: Response, @Query('lastEventId') queryLastId?: string): Promise<void> {
    const host = authenticateAgent(request, this.hosts);
    const rawLast = request.header('last-event-id') ?? queryLastId;
    const from = rawLast !== undefined && LAST_ID.test(rawLast) ? Number(rawLast) + 1 : this.store.position + 1;
    this.open.get(host.name)?.();

    response.writeHead(200, SSE_HEADERS);
    response.write(retryFrame(2000));
    response.write(messageFrame({ type: 'hello', host: host.name, position: this.store.position }));
    let sentUpTo = from - 1;
    let held: StoredEvent[] | undefined = [];
    const send = (event: StoredEvent): void => {
      if (event.position <= sentUpTo || event.type !== 'command.accepted') return;
      if (this.hosts.hostOfCommand(event.data) !== host.name) return;
      sentUpTo = event.position;
      response.write(eventFrame(event));
    };
    const live = this.store.events$.subscribe((event) => {
      if (held) held.push(event);
      else send(event);
    });
    const heartbeat = setInterval(() => {
      response.write(HEARTBEAT_FRAME);
    }, HEARTBEAT_MS);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      live.unsubscribe();
      clearInterval(heartbeat);
      if (this.open.get(host.name) === close) this.open.delete(host.name);
      response.end();
    };
    const isClosed = (): boolean => closed;
    this.open.set(host.name, close);
    request.on('close', close);
    void this.presence.seen(host.name).catch(() => undefined);

    try {
      // Catch-up: only commands nobody claimed yet (an agent back after a crash must not redo old ones).
      for await (const event of this.store.read(from, { types: ['command.accepted'] })) {
        if (isClosed()) return;
        if (event.type !== 'command.accepted' || this.hosts.hostOfCommand(event.data) !== host.name) continue;
        const stream = await this.store.readStream(event.stream);
        if (stream.length === 1) send(event);
        else sentUpTo = Math.max(sentUpTo, event.position);
      }
    } catch (error) {
      this.logger.warn(`catch-up for ${host.name} failed: ${String(error)}`);
      close();
      return;
    }
    const meanwhile = held;
    held = undefined;
    for (const event of meanwhile) send(event);
  }
}
