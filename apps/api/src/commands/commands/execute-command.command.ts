import { Command } from '@nestjs/cqrs';
import type { StoredEvent } from '@vigil/shared';

/** Run a command whose `command.accepted` is committed. Issued by the executor saga. */
export class ExecuteCommand extends Command<void> {
  constructor(readonly accepted: StoredEvent<'command.accepted'>) {
    super();
  }
}
