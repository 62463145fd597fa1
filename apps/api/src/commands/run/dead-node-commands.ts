import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { Cluster } from '../../cluster/cluster';
import { whileLeader } from '../../cluster/while-leader';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { OpenCommands, type OpenCommand } from './open-commands';

const SYSTEM_ACTOR = { id: 'system', username: 'system', roles: [] };
const CHECK_EVERY_MS = 1_000;
/** A command nobody claimed this long after its acceptance will not be claimed (its owner died or lost the lease). */
const CLAIM_WITHIN_MS = 10_000;

/**
 * Leader-only: closes with `command.interrupted` (naming the node) the commands of
 * nodes that died: those a dead node had started, and those nobody claimed in time.
 * Appends at the stream's version as last seen, so a node that is alive after all
 * and appends first wins, and the check simply runs again.
 */
@Injectable()
export class DeadNodeCommands implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadNodeCommands');
  private leadership?: Subscription;
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Cluster) private readonly cluster: Cluster,
    @Inject(OpenCommands) private readonly open: OpenCommands,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.cluster.clustered) return; // one node: start-up recovery closes everything left open
    this.leadership = whileLeader(
      this.cluster,
      'closing the commands of dead nodes',
      {
        start: () => {
          this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
          this.timer.unref();
        },
        stop: () => {
          clearInterval(this.timer);
        },
      },
      this.logger,
    );
  }

  onModuleDestroy(): void {
    this.leadership?.unsubscribe();
  }

  /** One pass; exported for tests. */
  async check(now = Date.now()): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const command of this.open.list()) {
        if (!this.cluster.isLeader()) return;
        const reason = this.reasonToClose(command, now);
        if (reason) await this.interrupt(command, reason);
      }
    } finally {
      this.checking = false;
    }
  }

  private reasonToClose(command: OpenCommand, now: number): string | undefined {
    if (command.startedBy !== undefined) {
      return this.cluster.isAlive(command.startedBy) ? undefined : `node ${command.startedBy} died while the command was running`;
    }
    if (now - command.acceptedAtMs < CLAIM_WITHIN_MS) return undefined;
    const by = command.acceptedBy === undefined ? '' : ` (accepted by node ${command.acceptedBy})`;
    return `no node claimed the command within ${CLAIM_WITHIN_MS / 1000} s${by}: its owner died or lost the lease`;
  }

  private async interrupt(command: OpenCommand, reason: string): Promise<void> {
    try {
      await this.store.append(
        command.stream,
        command.version,
        [{ type: 'command.interrupted', data: { commandId: command.commandId, reason } }],
        {
          actor: SYSTEM_ACTOR,
          environment: command.environment,
          correlationId: randomUUID(),
          causationId: String(command.acceptedPosition),
        },
      );
      this.logger.warn(`command ${command.commandId} interrupted: ${reason}`);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) this.logger.error(`could not close command ${command.commandId}: ${String(error)}`);
    }
  }
}
