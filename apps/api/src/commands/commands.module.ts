import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SupervisorModule } from '../supervisor/supervisor.module';
import { CommandsController } from './commands.controller';
import { CommandExecutors } from './executors/command-executors';
import { CommandPlacement } from './placement/command-placement';
import { CommandRunner } from './run/command-runner';
import { DeadNodeCommands } from './run/dead-node-commands';
import { InterruptedCommandsRecovery } from './run/interrupted-commands.recovery';
import { OpenCommands } from './run/open-commands';
import { RunningCommands } from './running-commands';
import { SubmitCommandHandler } from './submit/submit-command.handler';

@Module({
  imports: [CqrsModule, SupervisorModule],
  controllers: [CommandsController],
  providers: [
    SubmitCommandHandler,
    CommandRunner,
    CommandExecutors,
    RunningCommands,
    InterruptedCommandsRecovery,
    CommandPlacement,
    DeadNodeCommands,
    OpenCommands,
  ],
  exports: [CommandExecutors, RunningCommands, CommandPlacement],
})
export class CommandsModule {}
