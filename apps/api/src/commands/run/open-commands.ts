import type { StoredEvent } from '@vigil/shared';
import { COMMAND_TERMINAL_TYPES, commandStreamOf } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import type { EventStore } from '../../event-store/event-store';
import { catchUpThenFollow } from '../../projections/catch-up-then-follow';

/** A command accepted and not yet ended, as the log tells it. */
export interface OpenCommand {
  commandId: string;
  stream: string;
  /** The stream's version as last seen (the next append expects it). */
  version: number;
  acceptedPosition: number;
  acceptedAtMs: number;
  environment: string;
  /** The node that accepted it (`meta.node`). */
  acceptedBy?: string;
  /** The node that claimed it (`meta.node` of `command.started`); undefined until claimed. */
  startedBy?: string;
}

const TERMINAL = new Set<string>(COMMAND_TERMINAL_TYPES);

/**
 * Every open command of the cluster, in memory: the open streams at start, then
 * followed on `events$` (which carries every node's events). The leader reads it to
 * close the commands of nodes that died.
 */
export class OpenCommands {
  private readonly byStream = new Map<string, OpenCommand>();
  private subscription?: Subscription;

  constructor(private readonly store: EventStore) {}

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
