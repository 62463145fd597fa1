import { Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { can, enrolHostSchema, hostNameSchema, hostStreamOf, type HostEnrolment, type HostSummary } from '@vigil/shared';
import type { Request } from 'express';
import { RequireCapability } from '../auth/require-capability.decorator';
import { requestMeta } from '../common/request-meta';
import { userOf } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { ConcurrencyError, EventStore } from '../event-store/event-store';
import { generateHostToken, hashHostToken } from './host-token';
import { HostPresence } from './host-presence';
import { HostsRegistry } from './hosts-registry';

/**
 * GET /api/hosts (every signed-in user; services filtered by the environments the
 * role may view), POST /api/hosts to enrol (the token is answered once, only its
 * hash is kept) and DELETE /api/hosts/:name to revoke (both `hosts.manage`).
 */
@Controller('api/hosts')
export class HostsController {
  constructor(
    @Inject(HostsRegistry) private readonly hosts: HostsRegistry,
    @Inject(HostPresence) private readonly presence: HostPresence,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  @Get()
  list(@Req() request: Request): HostSummary[] {
    const user = userOf(request);
    return this.hosts.list().map(({ position: _position, ...host }) => ({
      ...host,
      lastSeenAt: this.presence.lastSeenAt(host.name) ?? host.lastSeenAt,
      agentVersion: this.presence.agentVersion(host.name) ?? host.agentVersion,
      services: host.services.filter((service) => can(user, { kind: 'view', environment: service.environment })),
    }));
  }

  @Post()
  @RequireCapability('hosts.manage')
  @HttpCode(201)
  async enrol(@Req() request: Request, @Body() body: unknown): Promise<HostEnrolment> {
    const { name, labels } = parseOrThrow(enrolHostSchema, body, 'body');
    const token = generateHostToken();
    try {
      // "Must not exist yet": a name is enrolled once (a revoked name stays taken, so the log never mixes two hosts).
      await this.store.append(
        hostStreamOf(name),
        0,
        [{ type: 'host.enrolled', data: { name, labels, tokenHash: hashHostToken(token) } }],
        requestMeta(request),
      );
    } catch (error) {
      if (error instanceof ConcurrencyError) throw new ConflictException({ message: `host "${name}" is already enrolled` });
      throw error;
    }
    return { name, token };
  }

  @Delete(':name')
  @RequireCapability('hosts.manage')
  @HttpCode(204)
  async revoke(@Req() request: Request, @Param('name') rawName: string): Promise<void> {
    const name = parseOrThrow(hostNameSchema, rawName, 'name');
    const host = this.hosts.get(name);
    if (!host) throw new NotFoundException({ message: `no host "${name}"` });
    if (host.status === 'revoked') throw new ConflictException({ message: `host "${name}" is already revoked` });
    await this.store.append(hostStreamOf(name), 'any', [{ type: 'host.revoked', data: { name } }], requestMeta(request));
    this.presence.forget(name);
  }
}
