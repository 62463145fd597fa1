import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { StoredEvent } from '@vigil/shared';
import { COMMAND_TERMINAL_TYPES, commandStreamOf, READ_ONLY_COMMANDS } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { Cluster } from '../../cluster/cluster';
import { EventStore } from '../../event-store/event-store';
import { catchUpThenFollow } from '../../projections/catch-up-then-follow';

/** A command accepted and not yet ended, as the log tells it. */
export interface OpenCommand {
  commandId: string;
  stream: string;
  /** The stream's version as last seen (the next append expects it). */
  version: number;
  acceptedPosition: number;
  acceptedAtMs: number;
  type: string;
  target: string;
  environment: string;
  /** The node that accepted it (`meta.node`). */
  acceptedBy?: string;
  /** The node that claimed it (`meta.node` of `command.started`); undefined until claimed. */
  startedBy?: string;
}

const TERMINAL = new Set<string>(COMMAND_TERMINAL_TYPES);

/**
 * Every open command of the cluster, in memory (a cluster only; empty on one node):
 * the open streams at start, then followed on `events$` (which carries every node's
 * events). The leader reads it to close the commands of nodes that died; any node
 * reads it to answer 409 for a target another node is busy with, and to accept a
 * cancel of a command another node runs.
 */
@Injectable()
export class OpenCommands implements OnModuleInit, OnModuleDestroy {
  private readonly byStream = new Map<string, OpenCommand>();
  private subscription?: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Cluster) private readonly cluster: Cluster,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.cluster.clustered) await this.start();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /** The open command that holds `target` (not read-only), on whichever node. */
  holder(environment: string, target: string): string | undefined {
    for (const open of this.byStream.values()) {
      if (open.environment === environment && open.target === target && !(READ_ONLY_COMMANDS as readonly string[]).includes(open.type))
        return open.commandId;
    }
    return undefined;
  }

  get(commandId: string): OpenCommand | undefined {
    return this.byStream.get(commandStreamOf(commandId));
  }

  async start(): Promise<void> {
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        const streams = await this.store.openStreams(commandStreamOf(''), 'command.accepted', COMMAND_TERMINAL_TYPES);
        for (const stream of streams) for (const event of await this.store.readStream(stream)) this.apply(event);
      },
      // Events both read above and held meanwhile are skipped by the version checks in apply.
      (event) => {
        this.apply(event);
      },
    );
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  list(): OpenCommand[] {
    return [...this.byStream.values()];
  }

  private apply(event: StoredEvent): void {
    if (!event.type.startsWith('command.')) return;
    if (event.type === 'command.accepted') {
      if (this.byStream.has(event.stream)) return;
      this.byStream.set(event.stream, {
        commandId: event.data.commandId,
        stream: event.stream,
        version: event.version,
        acceptedPosition: event.position,
        acceptedAtMs: Date.parse(event.time),
        type: event.data.type,
        target: event.data.target,
        environment: event.data.environment,
        acceptedBy: event.meta.node,
      });
      return;
    }
    const open = this.byStream.get(event.stream);
    if (!open || event.version <= open.version) return;
    if (TERMINAL.has(event.type)) {
      this.byStream.delete(event.stream);
      return;
    }
    open.version = event.version;
    if (event.type === 'command.started') open.startedBy = event.meta.node;
  }
}
