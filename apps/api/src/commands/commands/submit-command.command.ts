import { Command } from '@nestjs/cqrs';
import type { CommandAccepted, CommandRequest, EventMeta } from '@vigil/shared';

/** A validated request to run a command; the handler decides and records it. */
export class SubmitCommand extends Command<CommandAccepted> {
  constructor(
    readonly request: CommandRequest,
    readonly meta: EventMeta,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
