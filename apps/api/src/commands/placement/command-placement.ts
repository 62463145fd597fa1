import { Inject, Injectable } from '@nestjs/common';
import type { CommandAcceptedData, CommandRequest, EventMeta } from '@vigil/shared';
import { Cluster } from '../../cluster/cluster';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { HostsRegistry } from '../../hosts/hosts-registry';
import { RunningCommands } from '../running-commands';

/**
 * Where a command runs. On one node every command runs in this process. A service an
 * agent declares runs on that agent's host, never in a server process (the agent
 * claims it). In a cluster a service's `host` names the node that runs its commands,
 * services without one belong to the leader, `ping` runs on the node that accepted it
 * (the `meta.node` of its `command.accepted`), and `cancel` where the command it names
 * runs. Placement is decided here, and nowhere else.
 */
@Injectable()
export class CommandPlacement {
  /** environment/service → the cluster node named in the config. */
  private readonly nodeHosts = new Map<string, string>();

  constructor(
    @Inject(Cluster) private readonly cluster: Cluster,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(RunningCommands) private readonly running: RunningCommands,
    @Inject(HostsRegistry) private readonly agentHosts: HostsRegistry,
  ) {
    for (const environment of config.environments) {
      for (const service of environment.services) if (service.host) this.nodeHosts.set(`${environment.name}/${service.name}`, service.host);
    }
  }

  /** Whether this process claims (appends `command.started` for) the accepted command; `meta` is the accepted event's. */
  runsHere(command: CommandAcceptedData, meta?: EventMeta): boolean {
    if (this.agentHosts.hostOfCommand(command) !== undefined) return false;
    if (!this.cluster.clustered) return true;
    if (command.type === 'ping') return meta?.node === undefined || meta.node === this.cluster.nodeName;
    if (command.type === 'cancel') return this.running.isRunning(command.target);
    const host = this.hostOf(command.environment, command.target);
    return host === undefined ? this.cluster.isLeader() : host === this.cluster.nodeName;
  }

  /** Why the owner of the request's target cannot take it now (e.g. "node b is not alive"); answered 503 and recorded. */
  unavailableReason(request: CommandRequest): string | undefined {
    const agentHost = this.agentHosts.hostOfCommand(request);
    if (agentHost !== undefined) return this.agentHosts.isOnline(agentHost) ? undefined : `host ${agentHost} is offline`;
    if (!this.cluster.clustered || request.type === 'ping' || request.type === 'cancel') return undefined;
    const host = this.hostOf(request.environment, request.target);
    if (host !== undefined) return host === this.cluster.nodeName || this.cluster.isAlive(host) ? undefined : `node ${host} is not alive`;
    if (this.cluster.isLeader() || this.cluster.leaderName() !== undefined) return undefined;
    return 'no node is the leader now (the cluster is electing one): try again in a few seconds';
  }

  /** The enrolled host whose agent runs the request's target (role grants may name hosts). */
  targetHost(request: { type: string; target: string; environment: string }): string | undefined {
    return this.agentHosts.hostOfCommand(request);
  }

  /** The node a service names as its `host` (undefined: the leader's). */
  hostOf(environment: string, service: string): string | undefined {
    return this.nodeHosts.get(`${environment}/${service}`);
  }
}
