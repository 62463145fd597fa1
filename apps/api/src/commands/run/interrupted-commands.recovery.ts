import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { COMMAND_TERMINAL_TYPES, commandStreamOf } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { Cluster } from '../../cluster/cluster';
import { EventStore } from '../../event-store/event-store';

const SYSTEM_ACTOR = { id: 'system', username: 'system', roles: [] };

/**
 * On start-up, every command that was accepted but never finished (the process
 * died under it) is closed with `command.interrupted`, before HTTP is served. In a
 * cluster only those this node had started: the other nodes' commands are theirs
 * (and the leader closes those of dead nodes, see DeadNodeCommands).
 */
@Injectable()
export class InterruptedCommandsRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger('CommandRecovery');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Cluster) private readonly cluster: Cluster,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const streams = [
      ...(await this.store.openStreams(commandStreamOf(''), 'command.accepted', COMMAND_TERMINAL_TYPES)),
      // Approved before the crash; one still awaiting approval keeps waiting (PendingApprovals).
      ...(await this.store.openStreams(commandStreamOf(''), 'command.approval-requested', COMMAND_TERMINAL_TYPES)),
    ];
    const correlationId = randomUUID();
    let closed = 0;
    for (const stream of streams) {
      const events = await this.store.readStream(stream);
      const accepted = events.at(0);
      if (accepted?.type !== 'command.accepted' && accepted?.type !== 'command.approval-requested') continue;
      // Still waiting for a decision: not started, nothing to interrupt.
      if (events.length === 1 && accepted.type === 'command.approval-requested') continue;
      const started = events.find((event) => event.type === 'command.started');
      if (this.cluster.clustered && started?.meta.node !== this.cluster.nodeName) continue;
      closed++;
      await this.store.append(
        stream,
        events.length,
        [
          {
            type: 'command.interrupted',
            data: {
              commandId: accepted.data.commandId,
              reason: this.cluster.clustered
                ? `node ${this.cluster.nodeName} restarted while the command was running`
                : 'Vigil restarted while the command was running',
            },
          },
        ],
        { actor: SYSTEM_ACTOR, environment: accepted.data.environment, correlationId, causationId: String(accepted.position) },
      );
    }
    if (closed > 0) this.logger.warn(`marked ${closed} unfinished command(s) as interrupted`);
  }
}
