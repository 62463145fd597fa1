import { UnauthorizedException } from '@nestjs/common';
import type { HostView } from '@vigil/shared';
import type { Request } from 'express';
import type { HostsRegistry } from './hosts-registry';

export const AGENT_HOST_HEADER = 'x-vigil-host';
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;
const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * The host an agent request proves: `X-Vigil-Host: <name>` and `Authorization:
 * Bearer <that host's token>`. A revoked token, another host's token or a user's
 * session token all fail the same way, and nothing is written.
 */
export function authenticateAgent(request: Request, hosts: HostsRegistry): HostView {
  const name = request.header(AGENT_HOST_HEADER) ?? '';
  const token = BEARER.exec(request.header('authorization') ?? '')?.[1];
  if (!NAME.test(name) || !token) {
    throw new UnauthorizedException({ message: `agent requests need ${AGENT_HOST_HEADER}: <host> and Authorization: Bearer <host token>` });
  }
  const host = hosts.authenticate(name, token);
  if (!host)
    throw new UnauthorizedException({ message: `host token refused for "${name}" (unknown host, revoked, or another host's token)` });
  return host;
}
