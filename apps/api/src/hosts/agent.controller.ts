import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import {
  agentClaimSchema,
  agentCommandEventsSchema,
  agentHelloSchema,
  agentMetricsSchema,
  agentServiceEventsSchema,
  commandStreamOf,
  hostStreamOf,
  idSchema,
  type EventMeta,
  type HostView,
  type StoredEvent,
} from '@vigil/shared';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator';
import { parseOrThrow } from '../common/validation';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { authenticateAgent } from './agent-auth';
import { ingestAgentSamples } from './agent-samples';
import { checkDeclaredServices } from './declared-services';
import { HostPresence, OFFLINE_AFTER_MS } from './host-presence';
import { HostsRegistry } from './hosts-registry';

/** How often an agent should send a heartbeat (a third of the offline delay). */
const HEARTBEAT_MS = 5_000;

/**
 * The agent protocol's POSTs (the stream down is AgentStreamController). Every
 * route takes only a host token (`authenticateAgent`), never a user session, and
 * acts only on that host's own declared services and commands.
 */
@Public()
@Controller('api/agent')
export class AgentController {
  constructor(
    @Inject(HostsRegistry) private readonly hosts: HostsRegistry,
    @Inject(HostPresence) private readonly presence: HostPresence,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  /** What the agent runs. A changed set is recorded as host.declared; then the host is online. */
  @Post('hello')
  @HttpCode(200)
  async hello(@Req() request: Request, @Body() body: unknown): Promise<{ name: string; heartbeatMs: number; offlineAfterMs: number }> {
    const host = authenticateAgent(request, this.hosts);
    const hello = parseOrThrow(agentHelloSchema, body, 'body');
    const declared = checkDeclaredServices(host.name, hello, this.config, this.hosts);
    const services = declared.map(({ environment, config }) => ({ environment, service: config.name }));
    const same =
      services.length === host.services.length &&
      services.every((s) => host.services.some((t) => t.environment === s.environment && t.service === s.service));
    this.hosts.setConfigs(host.name, declared);
    if (!same) {
      await this.store.append(
        hostStreamOf(host.name),
        'any',
        [{ type: 'host.declared', data: { name: host.name, services } }],
        this.meta(host),
      );
    }
    await this.presence.seen(host.name, hello.agentVersion);
    return { name: host.name, heartbeatMs: HEARTBEAT_MS, offlineAfterMs: OFFLINE_AFTER_MS };
  }

  @Post('heartbeat')
  @HttpCode(204)
  async heartbeat(@Req() request: Request): Promise<void> {
    const host = authenticateAgent(request, this.hosts);
    await this.presence.seen(host.name);
  }

  /** A batch of samples (every second; a back-fill after a disconnection). */
  @Post('metrics')
  @HttpCode(202)
  async metricsBatch(@Req() request: Request, @Body() body: unknown): Promise<{ accepted: number; rejected: number; backfilled: number }> {
    const host = authenticateAgent(request, this.hosts);
    const batch = parseOrThrow(agentMetricsSchema, body, 'body');
    await this.presence.seen(host.name);
    return ingestAgentSamples(host.name, batch.samples, this.metrics, this.hosts);
  }

  /** service.* events of the host's own services, appended to each service's stream. */
  @Post('events')
  @HttpCode(202)
  async serviceEvents(@Req() request: Request, @Body() body: unknown): Promise<{ appended: number }> {
    const host = authenticateAgent(request, this.hosts);
    const { events } = parseOrThrow(agentServiceEventsSchema, body, 'body');
    const foreign = events.find((event) => this.hosts.hostOfService(event.data.environment, event.data.service) !== host.name);
    if (foreign) {
      throw new ForbiddenException({
        message: `host ${host.name} did not declare service "${foreign.data.service}" in ${foreign.data.environment}`,
      });
    }
    await this.presence.seen(host.name);
    for (const event of events) {
      const { service, environment } = event.data;
      await this.store.append(`service-${service}@${environment}`, 'any', [{ type: event.type, data: event.data }], {
        host: host.name,
        environment,
        correlationId: event.correlationId,
        ...(event.causationId !== undefined ? { causationId: event.causationId } : {}),
      });
    }
    return { appended: events.length };
  }

  /**
   * The claim: `command.started` at the version right after `command.accepted`. Only
   * one claim of a command can succeed (409 for any other, e.g. a resumed stream's repeat).
   */
  @Post('commands/:id/start')
  @HttpCode(200)
  async claim(@Req() request: Request, @Param('id') rawId: string, @Body() body: unknown): Promise<{ version: number }> {
    const host = authenticateAgent(request, this.hosts);
    const commandId = parseOrThrow(idSchema, rawId, 'id');
    const { version } = parseOrThrow(agentClaimSchema, body, 'body');
    const accepted = await this.acceptedOf(commandId, host);
    await this.presence.seen(host.name);
    try {
      const [started] = await this.store.append(
        commandStreamOf(commandId),
        version,
        [{ type: 'command.started', data: { commandId } }],
        this.commandMeta(host, accepted),
      );
      return { version: started.version };
    } catch (error) {
      if (error instanceof ConcurrencyError) throw new ConflictException({ message: `command ${commandId} was already claimed or closed` });
      throw error;
    }
  }

  /** Output, progress and the outcome of a command this host claimed, at the version the agent expects. */
  @Post('commands/:id/events')
  @HttpCode(202)
  async commandEvents(@Req() request: Request, @Param('id') rawId: string, @Body() body: unknown): Promise<{ version: number }> {
    const host = authenticateAgent(request, this.hosts);
    const commandId = parseOrThrow(idSchema, rawId, 'id');
    const { expectedVersion, events } = parseOrThrow(agentCommandEventsSchema, body, 'body');
    if (events.some((event) => event.data.commandId !== commandId)) {
      throw new ForbiddenException({ message: `events for another command than ${commandId}` });
    }
    const accepted = await this.acceptedOf(commandId, host);
    await this.presence.seen(host.name);
    try {
      const stored = await this.store.append(commandStreamOf(commandId), expectedVersion, events, this.commandMeta(host, accepted));
      return { version: stored.at(-1)?.version ?? expectedVersion };
    } catch (error) {
      if (error instanceof ConcurrencyError)
        throw new ConflictException({ message: `command ${commandId} moved on (closed, or a stale version)` });
      throw error;
    }
  }

  /** The command's accepted event, if it is one this host runs. */
  private async acceptedOf(commandId: string, host: HostView): Promise<StoredEvent<'command.accepted'>> {
    const first = (await this.store.readStream(commandStreamOf(commandId))).at(0);
    if (first?.type !== 'command.accepted') throw new NotFoundException({ message: `no command ${commandId}` });
    if (this.hosts.hostOfCommand(first.data) !== host.name) {
      throw new ForbiddenException({ message: `command ${commandId} is not for host ${host.name}` });
    }
    return first;
  }

  private commandMeta(host: HostView, accepted: StoredEvent<'command.accepted'>): EventMeta {
    return {
      ...(accepted.meta.actor ? { actor: accepted.meta.actor } : {}),
      environment: accepted.data.environment,
      correlationId: accepted.meta.correlationId,
      causationId: String(accepted.position),
      host: host.name,
    };
  }

  private meta(host: HostView): EventMeta {
    return { host: host.name, correlationId: crypto.randomUUID() };
  }
}
