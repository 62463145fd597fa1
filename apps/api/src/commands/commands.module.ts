import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HostsModule } from '../hosts/hosts.module';
import { SupervisorModule } from '../supervisor/supervisor.module';
import { ApprovalsController } from './approve/approvals.controller';
import { ApprovalsService } from './approve/approvals.service';
import { PendingApprovals } from './approve/pending-approvals';
import { CommandsController } from './commands.controller';
import { CommandExecutors } from './executors/command-executors';
import { CommandPlacement } from './placement/command-placement';
import { CommandRunner } from './run/command-runner';
import { DeadNodeCommands } from './run/dead-node-commands';
import { InterruptedCommandsRecovery } from './run/interrupted-commands.recovery';
import { RemoteCommands } from './run/remote-commands';
import { OpenCommands } from './run/open-commands';
import { RunningCommands } from './running-commands';
import { SubmitCommandHandler } from './submit/submit-command.handler';

@Module({
  imports: [CqrsModule, SupervisorModule, HostsModule],
  controllers: [CommandsController, ApprovalsController],
  providers: [
    SubmitCommandHandler,
    CommandRunner,
    CommandExecutors,
    RunningCommands,
    InterruptedCommandsRecovery,
    CommandPlacement,
    PendingApprovals,
    ApprovalsService,
    RemoteCommands,
    DeadNodeCommands,
    OpenCommands,
  ],
  exports: [CommandExecutors, RunningCommands, CommandPlacement],
})
export class CommandsModule {}
