import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SupervisorModule } from '../supervisor/supervisor.module';
import { CommandsController } from './commands.controller';
import { ExecuteCommandHandler } from './commands/execute-command.handler';
import { SubmitCommandHandler } from './commands/submit-command.handler';
import { EventBusBridge } from './events/event-bus.bridge';
import { CommandExecutors } from './executors/command-executors';
import { InterruptedCommandsRecovery } from './interrupted-commands.recovery';
import { RunningCommands } from './running-commands';
import { CommandExecutorSaga } from './sagas/command-executor.saga';

@Module({
  imports: [CqrsModule, SupervisorModule],
  controllers: [CommandsController],
  providers: [
    SubmitCommandHandler,
    ExecuteCommandHandler,
    CommandExecutorSaga,
    CommandExecutors,
    RunningCommands,
    EventBusBridge,
    InterruptedCommandsRecovery,
  ],
  exports: [CommandExecutors, RunningCommands],
})
export class CommandsModule {}
