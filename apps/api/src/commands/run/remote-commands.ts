import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { COMMAND_TERMINAL_TYPES } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../../event-store/event-store';
import { followCommitted } from '../../event-store/follow-committed';
import { CommandPlacement } from '../placement/command-placement';
import { RunningCommands, type AbortCause } from '../running-commands';

/**
 * Commands that run elsewhere (an agent): registered as running from their
 * `command.accepted` until their terminal event, so their target stays locked
 * meanwhile, cancel finds them, and the lock is freed when they end.
 */
@Injectable()
export class RemoteCommands implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RemoteCommands');
  private subscription?: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(RunningCommands) private readonly running: RunningCommands,
    @Inject(CommandPlacement) private readonly placement: CommandPlacement,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = followCommitted(
      this.store,
      ['command.accepted', ...COMMAND_TERMINAL_TYPES],
      (event) => {
        if (event.type !== 'command.accepted') {
          this.running.end(event.data.commandId);
          return;
        }
        const command = event.data;
        // Only an agent's commands: a cluster node's are running on that node, not "elsewhere" here
        // (registering them would let every node claim their cancel).
        if (this.placement.targetHost(command) === undefined) return;
        const controller = this.running.begin(command.commandId, command.type, command.environment, command.target);
        // This process runs nothing for it: at shutdown it is simply forgotten.
        controller.signal.addEventListener('abort', () => {
          if ((controller.signal.reason as AbortCause | undefined)?.kind === 'shutdown') this.running.end(command.commandId);
        });
      },
      this.logger,
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
