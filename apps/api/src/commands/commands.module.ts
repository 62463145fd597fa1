import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandsController } from './commands.controller';
import { ExecuteCommandHandler } from './commands/execute-command.handler';
import { SubmitCommandHandler } from './commands/submit-command.handler';
import { EventBusBridge } from './events/event-bus.bridge';
import { CommandExecutors } from './executors/command-executors';
import { InterruptedCommandsRecovery } from './interrupted-commands.recovery';
import { CommandExecutorSaga } from './sagas/command-executor.saga';

@Module({
  imports: [CqrsModule],
  controllers: [CommandsController],
  providers: [
    SubmitCommandHandler,
    ExecuteCommandHandler,
    CommandExecutorSaga,
    CommandExecutors,
    EventBusBridge,
    InterruptedCommandsRecovery,
  ],
  exports: [CommandExecutors],
})
export class CommandsModule {}
