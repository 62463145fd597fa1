import { Inject, Injectable } from '@nestjs/common';
import type { CommandAcceptedData, CommandRequest } from '@vigil/shared';
import { HostsRegistry } from '../../hosts/hosts-registry';

/**
 * Where a command runs. On one node every command runs in this process. The cluster
 * (a service's `host` names a node; host-less services belong to the leader) and the
 * agents (a service declared by an agent runs there) decide here, and nowhere else,
 * which process claims an accepted command and when its owner cannot take one.
 */
@Injectable()
export class CommandPlacement {
  constructor(@Inject(HostsRegistry) private readonly hosts: HostsRegistry) {}

  /** Whether this process claims (appends `command.started` for) the accepted command: never an agent's service. */
  runsHere(command: CommandAcceptedData): boolean {
    return this.hosts.hostOfCommand(command) === undefined;
  }

  /** Why the owner of the request's target cannot take it now (e.g. "node b is not alive"); answered 503 and recorded. */
  unavailableReason(request: CommandRequest): string | undefined {
    const host = this.hosts.hostOfCommand(request);
    if (host === undefined || this.hosts.isOnline(host)) return undefined;
    return `host ${host} is offline`;
  }

  /** The enrolled host whose agent runs the request's target (role grants may name hosts). */
  targetHost(request: CommandRequest): string | undefined {
    return this.hosts.hostOfCommand(request);
  }
}
