import { Injectable } from '@nestjs/common';
import { type IEvent, ofType, Saga } from '@nestjs/cqrs';
import { isEventOfType } from '@vigil/shared';
import { filter, map, type Observable } from 'rxjs';
import { EventCommitted } from '../events/event-committed.event';
import { ExecuteCommand } from '../commands/execute-command.command';

/** Every committed `command.accepted` becomes an ExecuteCommand. */
@Injectable()
export class CommandExecutorSaga {
  @Saga()
  accepted = (events$: Observable<IEvent>): Observable<ExecuteCommand> =>
    events$.pipe(
      ofType(EventCommitted),
      map((committed) => committed.event),
      filter((event) => isEventOfType(event, 'command.accepted')),
      map((event) => new ExecuteCommand(event)),
    );
}
