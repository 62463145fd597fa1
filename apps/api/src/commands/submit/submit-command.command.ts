import { Command } from '@nestjs/cqrs';
import type { CommandAccepted, CommandRequest, EventMeta, SessionUser } from '@vigil/shared';

/** A validated request to run a command; the handler decides and records it. */
export class SubmitCommand extends Command<CommandAccepted> {
  constructor(
    readonly request: CommandRequest,
    readonly meta: EventMeta,
    /** Who asks: their role decides (command.denied and 403 otherwise). */
    readonly user: SessionUser,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
